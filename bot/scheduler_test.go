package bot_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/store"
	"github.com/waardenbot/waardenbot/knowledge"
)

var ams = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

func local(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, ams)
}

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakePoster records what the bot posts; with fail set it refuses.
type fakePoster struct {
	mu    sync.Mutex
	posts []posted
	fail  error
}

type posted struct {
	to bot.Destination
	r  bot.Reply
}

func (p *fakePoster) Post(_ context.Context, to bot.Destination, r bot.Reply) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.posts = append(p.posts, posted{to, r})
	return nil
}

func (p *fakePoster) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.posts)
}

func (p *fakePoster) last() posted {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.posts[len(p.posts)-1]
}

var book = knowledge.MustLoad()

// harness is one run of the bot on a bbolt file: a restart is a new
// harness on the same file.
type harness struct {
	t      *testing.T
	path   string
	clock  *fakeClock
	poster *fakePoster
	st     bot.ScheduleStore
	closer func()
	b      *bot.Bot
}

type option func(*bot.Config)

func newHarness(t *testing.T, path string, clock *fakeClock, poster *fakePoster, opts ...option) *harness {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessOn(t, path, st, st.Close, clock, poster, opts...)
}

func newHarnessOn(t *testing.T, path string, st bot.ScheduleStore, closer func() error, clock *fakeClock, poster *fakePoster, opts ...option) *harness {
	t.Helper()
	cfg := bot.Config{}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{t: t, path: path, clock: clock, poster: poster, st: st}
	closed := false
	h.closer = func() {
		if !closed {
			closed = true
			if err := closer(); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(h.closer)
	h.b = bot.New(book, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		bot.WithClock(clock.Now), bot.WithStore(func() (bot.ScheduleStore, error) { return st, nil }))
	return h
}

func (h *harness) restore() {
	h.t.Helper()
	if err := h.b.Scheduler().Restore(context.Background(), h.poster); err != nil {
		h.t.Fatal(err)
	}
}

// restart stops this bot and starts a new one on the same file at the
// clock's time, restoring its schedules.
func (h *harness) restart() *harness {
	h.t.Helper()
	h.closer()
	n := newHarness(h.t, h.path, h.clock, h.poster)
	n.restore()
	return n
}

// at moves the clock to t and runs what is due.
func (h *harness) at(t time.Time) {
	h.clock.Set(t)
	h.b.Scheduler().RunDue(context.Background())
}

var fractie = bot.Request{Platform: "console", Channel: "fractie", User: "U1", UserName: "griffier"}

func (h *harness) do(text string) bot.Reply {
	return h.doAs(fractie, text)
}

func (h *harness) doAs(req bot.Request, text string) bot.Reply {
	h.t.Helper()
	return h.b.HandleText(context.Background(), req, text)
}

func (h *harness) must(text string) bot.Reply {
	h.t.Helper()
	r := h.do(text)
	if r.Status != bot.Answered {
		h.t.Fatalf("%s refused: %s", text, r.Text)
	}
	return r
}

func start(t *testing.T, now time.Time) *harness {
	t.Helper()
	clock := &fakeClock{t: now}
	return newHarness(t, filepath.Join(t.TempDir(), "waardenbot.db"), clock, &fakePoster{})
}

func TestReflectionPostedAtItsTimeExactlyOnce(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0)) // a Monday, after 09:00
	h.must("/reflectie aan")
	h.restore()
	h.at(local(2026, 11, 30, 8, 59))
	if n := h.poster.count(); n != 0 {
		t.Fatalf("%d posts before the time", n)
	}
	h.at(local(2026, 11, 30, 9, 0))
	h.at(local(2026, 11, 30, 9, 0))
	h.at(local(2026, 11, 30, 9, 5))
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on Monday 30 November, want 1", n)
	}
	p := h.poster.last()
	if p.to != (bot.Destination{Platform: "console", Channel: "fractie"}) || !p.r.Thread || p.r.Ephemeral {
		t.Errorf("posted %+v to %+v, want a public thread starter in console/fractie", p.r, p.to)
	}
	if !strings.Contains(p.r.Text, "Welke opvatting herken je in onze fractie?") || !strings.Contains(p.r.Text, "_Bron: ") {
		t.Errorf("prompt lacks the team question or the source:\n%s", p.r.Text)
	}
	if next := h.b.Scheduler().RunDue(context.Background()); !next.Equal(local(2026, 12, 7, 9, 0)) {
		t.Errorf("next run %s, want Monday 7 December 09:00", next)
	}
}

func TestWeeklyPromptStaysAtNineLocalAcrossDST(t *testing.T) {
	h := start(t, local(2026, 3, 16, 10, 0))
	h.must("/reflectie aan 0 9 * * 1")
	h.restore()
	var got []time.Time
	for range 3 {
		next := h.b.Scheduler().RunDue(context.Background())
		got = append(got, next)
		h.at(next)
	}
	want := []time.Time{local(2026, 3, 23, 9, 0), local(2026, 3, 30, 9, 0), local(2026, 4, 6, 9, 0)}
	for i := range want {
		if !got[i].Equal(want[i]) || got[i].In(ams).Hour() != 9 {
			t.Errorf("run %d at %s, want %s", i, got[i].In(ams), want[i])
		}
	}
	if n := h.poster.count(); n != 3 {
		t.Errorf("%d posts, want 3", n)
	}
}

func TestDailyJobAtHalfPastTwoPostsOnceOnSpringForwardDay(t *testing.T) {
	h := start(t, local(2026, 3, 28, 12, 0))
	h.must("/reflectie aan 30 2 * * *")
	h.restore()
	for tm := local(2026, 3, 28, 12, 0); tm.Before(local(2026, 3, 29, 23, 0)); tm = tm.Add(10 * time.Minute) {
		h.at(tm)
	}
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on 29 March, want 1", n)
	}
	if next := h.b.Scheduler().RunDue(context.Background()); !next.Equal(local(2026, 3, 30, 2, 30)) {
		t.Errorf("next run %s, want 30 March 02:30", next.In(ams))
	}
}

func TestDailyJobAtHalfPastTwoPostsOnceOnFallBackDay(t *testing.T) {
	h := start(t, local(2026, 10, 24, 12, 0))
	h.must("/reflectie aan 30 2 * * *")
	h.restore()
	for tm := local(2026, 10, 24, 12, 0); tm.Before(local(2026, 10, 25, 23, 0)); tm = tm.Add(10 * time.Minute) {
		h.at(tm)
	}
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts on 25 October, want 1", n)
	}
}

func TestMissedPromptPostedOnceWithinGrace(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	h.closer() // the bot goes down before Monday 09:00 ...
	h.clock.Set(local(2026, 11, 30, 20, 0))
	h = h.restart() // ... and comes back 11 hours late
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts after a restart within the grace period, want 1", n)
	}
	if !strings.Contains(h.poster.last().r.Text, "maandag 30 november 2026 om 09:00") {
		t.Errorf("a late prompt should say when it was due:\n%s", h.poster.last().r.Text)
	}
	h.clock.Set(local(2026, 11, 30, 20, 30))
	h = h.restart()
	h.at(local(2026, 11, 30, 21, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after a second restart, want still 1", n)
	}
}

func TestMissedPromptOlderThanGraceSkipped(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/reflectie aan")
	h.closer()
	h.clock.Set(local(2026, 11, 30, 21, 1)) // 12h01m late
	h = h.restart()
	if n := h.poster.count(); n != 0 {
		t.Fatalf("%d posts for a run missed longer than the grace period, want 0", n)
	}
	if next := h.b.Scheduler().RunDue(context.Background()); !next.Equal(local(2026, 12, 7, 9, 0)) {
		t.Errorf("next run %s, want 7 December 09:00", next.In(ams))
	}
}

func TestGraceIsConfigurable(t *testing.T) {
	tests := []struct {
		name  string
		grace time.Duration
		late  time.Duration
		posts int
	}{
		{"one hour late with one hour grace", time.Hour, time.Hour, 1},
		{"two hours late with one hour grace", time.Hour, 2 * time.Hour, 0},
		{"a minute late when catch-up is off", -1, time.Minute, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "w.db")
			clock := &fakeClock{t: local(2026, 11, 23, 10, 0)}
			h := newHarness(t, path, clock, &fakePoster{})
			h.must("/reflectie aan")
			h.closer()
			clock.Set(local(2026, 11, 30, 9, 0).Add(tc.late))
			h = newHarness(t, path, clock, h.poster, func(c *bot.Config) { c.Grace = tc.grace })
			h.restore()
			if n := h.poster.count(); n != tc.posts {
				t.Errorf("%d posts, want %d", n, tc.posts)
			}
		})
	}
}

func TestRestartRightAfterPostDoesNotPostAgain(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	h.at(local(2026, 11, 30, 9, 0))
	h = h.restart()
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after a restart right after posting, want 1", n)
	}
}

// crashingStore loses FinishRun, as a bot that stops between posting and
// recording the post would.
type crashingStore struct {
	bot.ScheduleStore
}

func (crashingStore) FinishRun(string, time.Time, bot.RunState) error {
	return errors.New("killed")
}

func TestRestartBetweenPostAndRecordDoesNotPostAgain(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	clock := &fakeClock{t: local(2026, 11, 23, 10, 0)}
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessOn(t, path, crashingStore{st}, st.Close, clock, &fakePoster{})
	h.must("/reflectie aan")
	h.restore()
	h.at(local(2026, 11, 30, 9, 0)) // posted; the run stays "claimed"
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d posts, want 1", n)
	}
	h = h.restart()
	h.at(local(2026, 11, 30, 9, 1))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts after restarting with an unconfirmed run, want 1", n)
	}
	runs, err := h.st.Runs(bot.RunUnconfirmed)
	if err != nil || len(runs) != 1 || !runs[0].At.Equal(local(2026, 11, 30, 9, 0)) {
		t.Errorf("unconfirmed runs = %v, %v; want the 09:00 run", runs, err)
	}
}

func TestReflectieNuCountsAsThisWeeksPrompt(t *testing.T) {
	h := start(t, local(2026, 11, 25, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	r := h.must("/reflectie nu")
	if !r.Thread || r.Ephemeral || !strings.Contains(r.Text, "maandag 30 november 2026 om 09:00") {
		t.Errorf("/reflectie nu = %+v, want a public prompt that names the run it replaces", r)
	}
	if again := h.do("/reflectie nu"); again.Status != bot.Refused {
		t.Errorf("a second /reflectie nu in the same week = %q, want a refusal", again.Text)
	}
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d scheduled posts in the week of /reflectie nu, want 0", n)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts the week after, want 1", n)
	}
	if !strings.Contains(h.poster.last().r.Text, "Waarde 2 van 30") {
		t.Errorf("the scheduled prompt after /reflectie nu should be the second value:\n%s", h.poster.last().r.Text)
	}
}

func TestRotationSurvivesRestarts(t *testing.T) {
	h := start(t, local(2026, 1, 5, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	seen := map[string]bool{}
	monday := local(2026, 1, 12, 9, 0)
	for week := range 30 {
		h.at(monday)
		text := h.poster.last().r.Text
		name := text[strings.Index(text, "de waarde **")+len("de waarde **"):]
		name = name[:strings.Index(name, "**")]
		if seen[name] {
			t.Fatalf("week %d: %s came back before every value had its turn", week, name)
		}
		seen[name] = true
		if week%7 == 3 {
			h = h.restart()
		}
		monday = monday.AddDate(0, 0, 7)
	}
	if len(seen) != 30 || h.poster.count() != 30 {
		t.Errorf("%d values in %d posts, want 30 in 30", len(seen), h.poster.count())
	}
	st := h.do("/reflectie status")
	if !strings.Contains(st.Text, "ronde 1, 30 van de 30") {
		t.Errorf("status after a full round:\n%s", st.Text)
	}
}

func TestFailedPostIsNotRetriedAndTheValueComesNextTime(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	h.poster.fail = errors.New("platform down")
	h.at(local(2026, 11, 30, 9, 0))
	h.poster.fail = nil
	h.at(local(2026, 11, 30, 9, 30))
	if n := h.poster.count(); n != 0 {
		t.Fatalf("%d posts after a failed post, want 0 (never retried)", n)
	}
	runs, err := h.st.Runs(bot.RunFailed)
	if err != nil || len(runs) != 1 {
		t.Errorf("failed runs = %v, %v; want 1", runs, err)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if !strings.Contains(h.poster.last().r.Text, "Waarde 1 van 30") {
		t.Errorf("the value of the failed post should come next:\n%s", h.poster.last().r.Text)
	}
}

func TestReflectieStatusShowsSpecInWordsNextRunsAndRotation(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	if r := h.do("/reflectie status"); !strings.Contains(r.Text, "uit") {
		t.Errorf("status before aan: %s", r.Text)
	}
	h.must("/reflectie aan 30 16 * * 5 tz=Europe/Brussels")
	h.must("/reflectie nu")
	r := h.do("/reflectie status")
	for _, want := range []string{
		"elke vrijdag om 16:30 (Europe/Brussels)",
		"- vrijdag 4 december 2026 om 16:30",
		"- vrijdag 11 december 2026 om 16:30",
		"- vrijdag 18 december 2026 om 16:30",
		"ronde 1, 1 van de 30",
	} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("status lacks %q:\n%s", want, r.Text)
		}
	}
	h.must("/reflectie uit")
	if r := h.do("/reflectie status"); !strings.Contains(r.Text, "uit") || !strings.Contains(r.Text, "1 van de 30") {
		t.Errorf("status after uit should say off and keep the rotation:\n%s", r.Text)
	}
}

func TestReflectieUitStopsPosts(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/reflectie aan")
	h.restore()
	h.must("/reflectie uit")
	h.at(local(2026, 11, 30, 9, 0))
	h = h.restart()
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts after /reflectie uit, want 0", n)
	}
}

func TestDebatePrepPostedOnceAtThePrepMoment(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	r := h.must("/debat 2026-12-10 19:30 Camera's in de binnenstad @channel <!here>")
	if !strings.Contains(r.Text, "maandag 7 december 2026 om 09:00") {
		t.Errorf("confirmation should name the prep moment:\n%s", r.Text)
	}
	h.at(local(2026, 12, 7, 8, 59))
	h = h.restart()
	h.at(local(2026, 12, 7, 9, 0))
	h.at(local(2026, 12, 7, 9, 1))
	if n := h.poster.count(); n != 1 {
		t.Fatalf("%d prep cards, want 1", n)
	}
	text := h.poster.last().r.Text
	for _, want := range []string{"Voorbereiding debat", "donderdag 10 december 2026 om 19:30", "Privacy", "1. ", "2. ", "3. ", "_Bron: "} {
		if !strings.Contains(text, want) {
			t.Errorf("prep card lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "@channel") || strings.Contains(text, "<!here>") {
		t.Errorf("prep card pings the channel:\n%s", text)
	}
	if l := h.do("/debat lijst"); !strings.Contains(l.Text, "geplaatst") {
		t.Errorf("list should show the prep as posted:\n%s", l.Text)
	}
}

func TestDebateVoorbereidingChangesThePrepMoment(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	h.must("/debat 10-12-2026 Algoritmen voorbereiding=5d")
	if next := h.b.Scheduler().RunDue(context.Background()); !next.Equal(local(2026, 12, 5, 9, 0)) {
		t.Errorf("prep at %s, want 5 December 09:00", next.In(ams))
	}
}

func TestCancelledDebateIsNotPosted(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.restore()
	h.must("/debat 2026-12-10 Datalekken")
	if r := h.do("/debat annuleer 1"); r.Status != bot.Answered {
		t.Fatalf("cancel: %s", r.Text)
	}
	if r := h.do("/debat annuleer 1"); r.Status != bot.Refused {
		t.Errorf("cancelling twice: %s", r.Text)
	}
	other := fractie
	other.Channel = "elders"
	h.must("/debat 2026-12-11 Iets anders")
	if r := h.doAs(other, "/debat annuleer 2"); r.Status != bot.Refused {
		t.Errorf("cancelling another channel's debate: %s", r.Text)
	}
	h.at(local(2026, 12, 7, 9, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d posts for a cancelled debate, want 0", n)
	}
}

func TestDebateWithPrepMomentPassedGivesTheCardAtOnce(t *testing.T) {
	h := start(t, local(2026, 12, 9, 10, 0))
	h.restore()
	r := h.must("/debat 2026-12-10 19:30 Privacy in de wijk")
	if !strings.Contains(r.Text, "al voorbij") || !strings.Contains(r.Text, "Voorbereiding debat") || !r.Thread {
		t.Errorf("reply should say the moment passed and hold the card:\n%s", r.Text)
	}
	h.at(local(2026, 12, 10, 19, 0))
	if n := h.poster.count(); n != 0 {
		t.Errorf("%d scheduled posts for a prep already given, want 0", n)
	}
}

func TestMissedDebatePrepWithinGracePostedOnceAndOlderMarkedMissed(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/debat 2026-12-10 19:30 Binnen de marge")
	h.must("/debat 2026-12-07 19:30 Buiten de marge voorbereiding=1d")
	h.closer()
	h.clock.Set(local(2026, 12, 7, 12, 0)) // 3h after the first prep, 27h after the second
	h = h.restart()
	if n := h.poster.count(); n != 1 || !strings.Contains(h.poster.last().r.Text, "Binnen de marge") {
		t.Fatalf("%d posts, want only the prep within the grace period", h.poster.count())
	}
	l := h.do("/debat lijst")
	if !strings.Contains(l.Text, "gemist") {
		t.Errorf("list should show the missed prep:\n%s", l.Text)
	}
}

func TestOnlyAdminsChangeSchedulesWhenAdminsAreSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	h := newHarness(t, path, &fakeClock{t: local(2026, 11, 23, 10, 0)}, &fakePoster{},
		func(c *bot.Config) { c.Admins = []string{"U-admin", "griffier"} })
	member := bot.Request{Platform: "console", Channel: "fractie", User: "U2", UserName: "raadslid"}
	channelAdmin := member
	channelAdmin.Admin = func(context.Context) bool { return true }
	notAdmin := member
	notAdmin.Admin = func(context.Context) bool { return false }
	tests := []struct {
		req  bot.Request
		text string
		want bot.Status
	}{
		{member, "/reflectie aan", bot.Refused},
		{member, "/reflectie nu", bot.Refused},
		{member, "/debat 2026-12-10 Camera's", bot.Refused},
		{member, "/reflectie status", bot.Answered},
		{member, "/debat lijst", bot.Answered},
		{fractie, "/reflectie aan", bot.Answered}, // griffier by name
		{member, "/reflectie uit", bot.Refused},
		{channelAdmin, "/debat 2026-12-10 Camera's", bot.Answered},
		{notAdmin, "/debat 2026-12-11 Camera's", bot.Refused},
		{member, "/debat annuleer 1", bot.Refused},
		{bot.Request{Platform: "console", Channel: "fractie", User: "U-admin"}, "/debat annuleer 1", bot.Answered},
	}
	for _, tc := range tests {
		if r := h.doAs(tc.req, tc.text); r.Status != tc.want {
			t.Errorf("%s as %s: status %d, want %d: %s", tc.text, tc.req.User, r.Status, tc.want, r.Text)
		}
	}
}

func TestBadInputIsRefusedAndStoresNothing(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"invalid cron", "/reflectie aan 0 9 * *", "5"},
		{"seven for Sunday", "/reflectie aan 0 9 * * 7", "zondag is 0"},
		{"unknown time zone", "/reflectie aan tz=Mars/Olympus", "Mars/Olympus"},
		{"empty CRON_TZ", "/reflectie aan CRON_TZ=", "tijdzone"},
		{"every minute", "/reflectie aan * * * * *", "vaker dan eens per uur"},
		{"two zones", "/reflectie aan tz=Europe/Amsterdam CRON_TZ=Europe/Brussels", "twee"},
		{"unknown subcommand", "/reflectie morgen", "ken ik niet"},
		{"30 February", "/debat 2026-02-30 19:30 Iets", "bestaat niet"},
		{"no date", "/debat morgen Iets", "geen datum"},
		{"bad time", "/debat 2026-12-10 24:10 Iets", "bestaat niet"},
		{"no topic", "/debat 2026-12-10 19:30", "onderwerp"},
		{"date in the past", "/debat 2026-11-20 Iets", "verleden"},
		{"time today already past", "/debat 2026-11-23 09:00 Iets", "verleden"},
		{"too far ahead", "/debat 2030-01-01 Iets", "twee jaar"},
		{"bad prep", "/debat 2026-12-10 Iets voorbereiding=morgen", "voorbereiding"},
		{"prep after the debate", "/debat 2026-12-10 08:00 Iets voorbereiding=0d", "niet vóór het debat"},
		{"topic of 201 characters", "/debat 2026-12-10 " + strings.Repeat("x", 201), "hooguit 200"},
		{"topic of 5,000 characters", "/debat 2026-12-10 " + strings.Repeat("camera ", 715), "hooguit 600"},
		{"cancel without number", "/debat annuleer camera", "geen nummer"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := start(t, local(2026, 11, 23, 10, 0))
			r := h.do(tc.text)
			if r.Status != bot.Refused || !r.Ephemeral {
				t.Errorf("status %d, ephemeral %v, want a private refusal: %s", r.Status, r.Ephemeral, r.Text)
			}
			if !strings.Contains(r.Text, tc.want) {
				t.Errorf("refusal lacks %q: %s", tc.want, r.Text)
			}
			all, err := h.st.Schedules("")
			if err != nil || len(all) != 0 {
				t.Errorf("stored %d schedules (%v) after refused input", len(all), err)
			}
		})
	}
}

func TestTopicIsNeutralisedInConfirmationAndList(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	for _, text := range []string{h.must("/debat 2026-12-10 @channel **vet** <!everyone>").Text, h.do("/debat lijst").Text} {
		if strings.Contains(text, "@channel") || strings.Contains(text, "<!everyone>") || strings.Contains(text, "**vet**") {
			t.Errorf("topic not neutralised:\n%s", text)
		}
	}
}

func TestWithoutStoreScheduleCommandsSaySo(t *testing.T) {
	b := bot.New(book, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := b.HandleText(context.Background(), fractie, "/reflectie aan")
	if r.Status != bot.Refused || !strings.Contains(r.Text, "gegevensbestand") {
		t.Errorf("without a store: %+v", r)
	}
}

func TestLookupsDoNotOpenTheStore(t *testing.T) {
	opened := false
	b := bot.New(book, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		bot.WithStore(func() (bot.ScheduleStore, error) { opened = true; return nil, errors.New("no") }))
	b.HandleText(context.Background(), fractie, "/waarde privacy")
	b.HandleText(context.Background(), fractie, "/help")
	if opened {
		t.Error("a lookup opened the store")
	}
}

func TestRunPostsDueRunOnTheRealClockAndStopsOnCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	// Turned on almost an hour ago with @every 1h: due in about a second.
	_, err = st.UpdateSchedule("reflectie/console//fractie", func(s *bot.Schedule) error {
		*s = bot.Schedule{ID: s.ID, Kind: bot.Reflection, To: bot.Destination{Platform: "console", Channel: "fractie"},
			Version: 1, On: true, Spec: "@every 1h", Zone: "Europe/Amsterdam", Since: now.Add(-time.Hour + time.Second)}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	poster := &fakePoster{}
	b := bot.New(book, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)),
		bot.WithStore(func() (bot.ScheduleStore, error) { return st, nil }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- b.Scheduler().Run(ctx, bot.Posters{"console": poster}) }()
	deadline := time.Now().Add(10 * time.Second)
	for poster.count() == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if n := poster.count(); n != 1 {
		t.Errorf("%d posts from the run loop, want 1", n)
	}
}

// The console restores before its first prompt, then runs the loop: the
// loop must not restore (and log, and post missed runs) a second time.
func TestRunAfterRestoreDoesNotRestoreAgain(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var logs strings.Builder
	b := bot.New(book, bot.Config{}, slog.New(slog.NewTextHandler(&logs, nil)),
		bot.WithStore(func() (bot.ScheduleStore, error) { return st, nil }))
	poster := bot.Posters{"console": &fakePoster{}}
	if err := b.Scheduler().Restore(context.Background(), poster); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Run returns after its first look at the queue
	if err := b.Scheduler().Run(ctx, poster); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(logs.String(), "schedules restored"); n != 1 {
		t.Errorf("restored %d times, want once:\n%s", n, logs.String())
	}
}

func TestPostersRouteByPlatform(t *testing.T) {
	console, slack := &fakePoster{}, &fakePoster{}
	p := bot.Posters{"console": console, "slack": slack}
	ctx := context.Background()
	if err := p.Post(ctx, bot.Destination{Platform: "slack", Channel: "C1"}, bot.Reply{Text: "x"}); err != nil || slack.count() != 1 || console.count() != 0 {
		t.Errorf("post to slack went wrong: %v", err)
	}
	if err := p.Post(ctx, bot.Destination{Platform: "mattermost"}, bot.Reply{}); !errors.Is(err, bot.ErrNoPoster) {
		t.Errorf("post to an unknown platform: %v, want ErrNoPoster", err)
	}
}

func TestMissedPrepOnTheDayOfADebateWithoutTimeIsStillPosted(t *testing.T) {
	h := start(t, local(2026, 11, 23, 10, 0))
	h.must("/debat 2026-12-10 Zonder tijd voorbereiding=0d")
	h.closer()
	h.clock.Set(local(2026, 12, 10, 12, 0)) // prep due 09:00 that day
	h = h.restart()
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts, want the prep card: the debate has no time, so it is on all day", n)
	}
}

// racingStore runs a command right after Restore has read the schedules,
// as a user typing in the console while the bot starts would.
type racingStore struct {
	bot.ScheduleStore
	during func()
}

func (r *racingStore) Schedules(prefix string) ([]bot.Schedule, error) {
	all, err := r.ScheduleStore.Schedules(prefix)
	if r.during != nil {
		r.during()
		r.during = nil
	}
	return all, err
}

func TestScheduleTurnedOnDuringRestoreIsQueued(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	racing := &racingStore{ScheduleStore: st}
	h := newHarnessOn(t, path, racing, st.Close, &fakeClock{t: local(2026, 11, 23, 10, 0)}, &fakePoster{})
	racing.during = func() { h.must("/reflectie aan") }
	h.restore()
	if n := h.b.Scheduler().Len(); n != 1 {
		t.Fatalf("%d runs queued, want the schedule turned on during start-up", n)
	}
	h.at(local(2026, 11, 30, 9, 0))
	if n := h.poster.count(); n != 1 {
		t.Errorf("%d posts, want 1", n)
	}
}
