// Package cluster_test runs three `waardenbot run` processes in Slack's
// HTTP mode on one PostgreSQL database, with a fake Slack Web API, and
// kills the one that leads: votes, scheduled posts and deadlines survive
// it, each exactly once. It needs WAARDENBOT_TEST_POSTGRES_DSN (CI sets
// it; without it the tests skip).
package cluster_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store/postgres"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
	"github.com/waardenbot/waardenbot/e2e/internal/cluster"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "waardenbot-cluster-")
	if err != nil {
		panic(err)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		if os.Getenv(storetest.DSNVariable) != "" {
			if bin, err = cluster.Build(dir); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// three starts three instances on a fresh schema and returns them with
// the fake Slack and a store on the same database, for the test's own
// look at it.
func three(t *testing.T) ([]*cluster.Instance, *cluster.Slack, *postgres.Store) {
	t.Helper()
	dsn := storetest.Postgres(t)
	slack := cluster.NewSlack()
	t.Cleanup(slack.Close)
	cfg := cluster.Config{Bin: bin, DSN: dsn, Dir: t.TempDir(), Slack: slack}
	var out []*cluster.Instance
	for i := range 3 {
		in, err := cluster.Start(cfg, fmt.Sprint("i", i))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if !in.Exited() {
				in.Kill()
			}
			if t.Failed() {
				t.Logf("log of %s:\n%s", in.Name, in.Logs())
			}
		})
		out = append(out, in)
	}
	st, err := postgres.Open(context.Background(), dsn, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return out, slack, st
}

// leader waits until exactly one of the running instances leads and
// returns it.
func leader(t *testing.T, instances []*cluster.Instance, terms map[string]int) *cluster.Instance {
	t.Helper()
	var found *cluster.Instance
	testkit.WaitFor(t, "one instance to lead", func() bool {
		found = nil
		for _, in := range instances {
			if !in.Exited() && in.Leading() > terms[in.Name] {
				if found != nil {
					return false
				}
				found = in
			}
		}
		return found != nil
	})
	return found
}

func terms(instances []*cluster.Instance) map[string]int {
	m := map[string]int{}
	for _, in := range instances {
		m[in.Name] = in.Leading()
	}
	return m
}

func statement(id, channel string, closesAt time.Time) poll.Poll {
	p := storetest.Poll(id, channel)
	p.Where.Platform, p.Where.Team, p.Created, p.ClosesAt = "slack", "T1", time.Now(), closesAt
	return p
}

func TestVoteStormWhileTheLeaderIsKilled(t *testing.T) {
	instances, slack, st := three(t)
	ctx := context.Background()
	lead := leader(t, instances, map[string]int{})
	before := terms(instances)
	if err := st.CreatePoll(ctx, statement("stor", "CSTORM", time.Time{})); err != nil {
		t.Fatal(err)
	}
	const voters = 600
	acked := make([]string, voters) // the choice each voter's acknowledgement confirmed
	var wg sync.WaitGroup
	start := time.Now()
	for i := range voters {
		wg.Go(func() {
			// 600 voters over about 6 s, spread over the instances; a
			// vote that gets no answer (its instance was killed) is
			// typed again at the next instance, as a person would.
			time.Sleep(time.Until(start.Add(time.Duration(i) * 10 * time.Millisecond)))
			user, choice := fmt.Sprintf("U%03d", i), []string{"eens", "oneens"}[i%2]
			for try := range 6 {
				in := instances[(i+try)%3]
				vctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				code, text, err := cluster.Command(vctx, slack, in.Addr, user, "CSTORM", "/stem", "stor "+choice)
				cancel()
				if err == nil && code == 200 && strings.Contains(text, "telt: *"+choice+"*") {
					acked[i] = choice
					return
				}
			}
		})
	}
	time.Sleep(2500 * time.Millisecond)
	killed := time.Now()
	lead.Kill()
	next := leader(t, instances, before)
	takeover := time.Since(killed)
	wg.Wait()
	t.Logf("%s was killed during the storm; %s led %v later", lead.Name, next.Name, takeover.Round(time.Millisecond))
	if takeover > 15*time.Second {
		t.Errorf("takeover took %v, want at most 15 s", takeover)
	}

	want := map[string]int{}
	for i, c := range acked {
		if c == "" {
			t.Errorf("voter %d never got an acknowledgement", i)
			continue
		}
		want[c]++
	}
	_, tally, err := st.Poll(ctx, "stor")
	if err != nil {
		t.Fatal(err)
	}
	// Every acknowledged vote is in the result, none twice.
	if tally.Voters != voters || tally.Votes["eens"] != want["eens"] || tally.Votes["oneens"] != want["oneens"] {
		t.Errorf("tally %+v, want %d voters: %v", tally, voters, want)
	}
}

func TestScheduledPostAndDeadlineDuringAFailoverArePostedOnce(t *testing.T) {
	for _, tc := range []struct {
		name string
		hang bool
	}{
		// The leader is killed a moment before both are due: the next
		// one is leading by then and posts them on time.
		{"the leader is killed just before they are due", false},
		// The leader hangs over their time (SIGSTOP): PostgreSQL ends its
		// silent session after 5 s and the next one catches up, posting
		// the prompt late (within the grace period) and the result. Then
		// the old leader wakes up (SIGCONT) with the same runs queued,
		// and finds them claimed; then it is killed.
		{"the leader hangs over their time, comes back, then is killed", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			instances, slack, st := three(t)
			ctx := context.Background()
			lead := leader(t, instances, map[string]int{})
			before := terms(instances)
			var other *cluster.Instance
			for _, in := range instances {
				if in != lead {
					other = in
				}
			}
			ams, _ := time.LoadLocation("Europe/Amsterdam")
			due := time.Now().Add(8 * time.Second).Truncate(time.Second).In(ams)
			// Planned through an instance that does not lead: the
			// leader hears of it through the database.
			spec := fmt.Sprintf("%d %d %d * * *", due.Second(), due.Minute(), due.Hour())
			if code, text, err := cluster.Command(ctx, slack, other.Addr, "UGRIFFIE", "CREFL", "/reflectie", "aan "+spec); err != nil || code != 200 || !strings.Contains(text, "staat aan") {
				t.Fatalf("/reflectie aan %s: %d %q %v", spec, code, text, err)
			}
			if err := st.CreatePoll(ctx, statement("dead", "CDEAD", due)); err != nil {
				t.Fatal(err)
			}
			var stopped time.Time
			if tc.hang {
				time.Sleep(time.Until(due.Add(-2 * time.Second)))
				lead.Freeze()
				stopped = time.Now()
			} else {
				time.Sleep(time.Until(due.Add(-time.Second)))
				stopped = time.Now()
				lead.Kill()
			}
			next := leader(t, instances, before)
			t.Logf("%s stopped; %s led %v later", lead.Name, next.Name, time.Since(stopped).Round(time.Millisecond))
			if d := time.Since(stopped); d > 15*time.Second {
				t.Errorf("takeover took %v", d)
			}
			// The deadline loop looks every 5 s.
			for deadline := time.Now().Add(20 * time.Second); len(slack.Posts("chat.postMessage", "CREFL")) == 0 || len(slack.Posts("chat.postMessage", "CDEAD")) == 0; {
				if time.Now().After(deadline) {
					t.Fatalf("after 20 s: %d prompts, %d results", len(slack.Posts("chat.postMessage", "CREFL")), len(slack.Posts("chat.postMessage", "CDEAD")))
				}
				time.Sleep(50 * time.Millisecond)
			}
			if tc.hang {
				lead.Resume()
				time.Sleep(3 * time.Second) // its timer and deadline loop run, and its ping fails
				if !strings.Contains(lead.Logs(), "no longer leading") {
					t.Error("the old leader did not step down when it came back")
				}
				lead.Kill()
			}
			// Longer than the deadline loop's 5 s: a second close would
			// have happened by now.
			time.Sleep(6 * time.Second)
			prompts, results := slack.Posts("chat.postMessage", "CREFL"), slack.Posts("chat.postMessage", "CDEAD")
			if len(prompts) != 1 || len(results) != 1 {
				t.Fatalf("%d prompts and %d results posted, want one each", len(prompts), len(results))
			}
			// Caught up late says so; on time says nothing.
			if late := strings.Contains(prompts[0].Text, "moeten komen"); late != tc.hang {
				t.Errorf("late %v, want %v: %s", late, tc.hang, prompts[0].Text)
			}
			if p, _, _ := st.Poll(ctx, "dead"); !p.Closed || !p.Posted {
				t.Errorf("the poll is %+v, want closed with its result posted", p)
			}
		})
	}
}
