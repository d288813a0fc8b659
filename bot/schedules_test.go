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

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/schedule"
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
	clock  *testkit.Clock
	poster *fakePoster
	st     schedule.Store
	closer func()
	b      *bot.Bot
	opts   []option // kept for a restart
}

type option func(*bot.Config)

func newHarness(t *testing.T, path string, clock *testkit.Clock, poster *fakePoster, opts ...option) *harness {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	cfg := bot.Config{}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{t: t, path: path, clock: clock, poster: poster, st: st, opts: opts}
	closed := false
	h.closer = func() {
		if !closed {
			closed = true
			if err := st.Close(); err != nil {
				t.Error(err)
			}
		}
	}
	t.Cleanup(h.closer)
	h.b = bot.New(book, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)),
		bot.WithClock(clock.Now), bot.WithStore(st))
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
	n := newHarness(h.t, h.path, h.clock, h.poster, h.opts...)
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
	clock := testkit.NewClock(now)
	return newHarness(t, filepath.Join(t.TempDir(), "waardenbot.db"), clock, &fakePoster{})
}

func TestOnlyAdminsChangeSchedulesWhenAdminsAreSet(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.db")
	h := newHarness(t, path, testkit.NewClock(local(2026, 11, 23, 10, 0)), &fakePoster{},
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
			all, err := h.st.Schedules(context.Background(), "")
			if err != nil || len(all) != 0 {
				t.Errorf("stored %d schedules (%v) after refused input", len(all), err)
			}
		})
	}
}

func TestWithoutStoreScheduleCommandsSaySo(t *testing.T) {
	b := bot.New(book, bot.Config{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	r := b.HandleText(context.Background(), fractie, "/reflectie aan")
	if r.Status != bot.Refused || !strings.Contains(r.Text, "gegevensbestand") {
		t.Errorf("without a store: %+v", r)
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
