package schedule_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"

	"github.com/waardenbot/waardenbot/bot/chat"
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

var (
	book    = knowledge.MustLoad()
	ctx     = context.Background()
	discard = slog.New(slog.NewTextHandler(io.Discard, nil))
	fractie = chat.Destination{Platform: "console", Channel: "fractie"}
)

// fakePoster records the claimed runs the scheduler posts; with fail set
// it refuses. When notify is set, every post is sent on it too; when now
// is set, it records when each post was made in times.
type fakePoster struct {
	mu     sync.Mutex
	posts  []schedule.Claimed
	fail   error
	notify chan schedule.Claimed
	now    func() time.Time
	times  []time.Time
}

func (p *fakePoster) Post(_ context.Context, c schedule.Claimed) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.fail != nil {
		return p.fail
	}
	p.posts = append(p.posts, c)
	if p.now != nil {
		p.times = append(p.times, p.now())
	}
	if p.notify != nil {
		p.notify <- c
	}
	return nil
}

func (p *fakePoster) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.posts)
}

func (p *fakePoster) last() schedule.Claimed {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.posts[len(p.posts)-1]
}

// harness is one run of a scheduler on a bbolt file: a restart is a new
// harness on the same file.
type harness struct {
	t      *testing.T
	path   string
	clock  *testkit.Clock
	poster *fakePoster
	st     schedule.Store
	closer func()
	s      *schedule.Scheduler
	opts   []option // kept for a restart
}

type option func(*schedule.Config)

func newHarness(t *testing.T, path string, clock *testkit.Clock, poster *fakePoster, opts ...option) *harness {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessOn(t, path, st, st.Close, clock, poster, opts...)
}

func newHarnessOn(t *testing.T, path string, st schedule.Store, closer func() error, clock *testkit.Clock, poster *fakePoster, opts ...option) *harness {
	t.Helper()
	cfg := schedule.Config{Location: ams, Now: clock.Now}
	for _, o := range opts {
		o(&cfg)
	}
	h := &harness{t: t, path: path, clock: clock, poster: poster, st: st, opts: opts}
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
	h.s = schedule.New(book, st, cfg, discard)
	return h
}

func (h *harness) restore() {
	h.t.Helper()
	if err := h.s.Restore(ctx, h.poster); err != nil {
		h.t.Fatal(err)
	}
}

// restart stops this scheduler and starts a new one on the same file at
// the clock's time, restoring its schedules.
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
	h.s.RunDue(ctx)
}

// turnOn turns the reflection prompt of #fractie on with spec in
// Europe/Amsterdam, as /reflectie aan does.
func (h *harness) turnOn(spec string) schedule.Schedule {
	h.t.Helper()
	cs, err := schedule.ParseSpec(spec, ams, h.clock.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	sc, _, err := h.s.TurnOn(ctx, fractie, "griffier", cs)
	if err != nil {
		h.t.Fatal(err)
	}
	return sc
}

func start(t *testing.T, now time.Time) *harness {
	t.Helper()
	clock := testkit.NewClock(now)
	return newHarness(t, filepath.Join(t.TempDir(), "waardenbot.db"), clock, &fakePoster{})
}
