package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/schedule"
	"github.com/waardenbot/waardenbot/bot/store/storetest"
)

// These tests play several instances: stores opened on one schema, as
// processes on one database would be.

func TestInstancesStartingTogetherMigrateOnce(t *testing.T) {
	dsn := storetest.Postgres(t)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { open(t, dsn) })
	}
	wg.Wait()
	conn := connect(t, dsn)
	var n int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM goose_db_version WHERE version_id > 0").Scan(&n); err != nil || int64(n) != SchemaVersion() {
		t.Errorf("%d migrations recorded (%v), want %d", n, err, SchemaVersion())
	}
}

func TestASchemaNewerThanTheBinaryIsRefused(t *testing.T) {
	dsn := storetest.Postgres(t)
	open(t, dsn).Close()
	conn := connect(t, dsn)
	if _, err := conn.Exec(context.Background(), "INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, true)", SchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	st, err := Open(context.Background(), dsn, quiet())
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open on a newer schema: %v, want ErrSchemaTooNew", err)
	}
	if st != nil {
		t.Error("Open returned a store with its error")
	}
	lazy, err := New(dsn, quiet())
	if err != nil {
		t.Fatal(err)
	}
	defer lazy.Close()
	if _, _, err := lazy.Poll(context.Background(), "aaaa"); !errors.Is(err, ErrSchemaTooNew) {
		t.Errorf("first use of a lazy store on a newer schema: %v, want ErrSchemaTooNew", err)
	}
}

func TestNewNeedsNoDatabaseUntilUsed(t *testing.T) {
	st, err := New("postgres://nobody@127.0.0.1:9/none?connect_timeout=1", quiet())
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	defer st.Close()
	if _, err := st.Secret(context.Background()); err == nil {
		t.Error("a store without a database gave a secret")
	}
	if _, err := New("postgres://%zz", quiet()); err == nil {
		t.Error("New accepted a DSN it cannot parse")
	}
}

func TestVotesOfTwoInstancesCountExactly(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx := context.Background()
	if err := a.CreatePoll(ctx, storetest.Poll("aaaa", "c1")); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Go(func() {
			st := []*Store{a, b}[i%2]
			user := fmt.Sprint("u", i%150) // every voter votes on both
			key := []string{"eens", "oneens"}[i/150]
			if _, _, _, err := st.Vote(ctx, "aaaa", storetest.As(user), storetest.Choose(key)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	_, tally, err := b.Poll(ctx, "aaaa")
	if err != nil || tally.Voters != 150 || tally.Votes["eens"]+tally.Votes["oneens"] != 150 {
		t.Errorf("tally %+v (%v), want 150 voters with one vote each", tally, err)
	}
}

func TestOneInstanceLeadsAndAnotherTakesOverWhenItStops(t *testing.T) {
	dsn := storetest.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type term struct {
		who   int
		start time.Time
	}
	terms := make(chan term, 10)
	stopped := make(chan int, 10)
	var running sync.Map
	stops := make([]context.CancelFunc, 3)
	var wg sync.WaitGroup
	for i := range 3 {
		st := open(t, dsn)
		ictx, stop := context.WithCancel(ctx)
		stops[i] = stop
		wg.Go(func() {
			st.Lead(ictx, func(lead context.Context) error {
				if _, dup := running.LoadOrStore("leader", i); dup {
					t.Errorf("instance %d leads while another does", i)
				}
				terms <- term{i, time.Now()}
				<-lead.Done()
				running.Delete("leader")
				return nil
			})
			stopped <- i
		})
	}
	first := <-terms
	select {
	case other := <-terms:
		t.Fatalf("instances %d and %d lead at once", first.who, other.who)
	case <-time.After(500 * time.Millisecond):
	}
	stopAt := time.Now()
	stops[first.who]()
	if got := <-stopped; got != first.who {
		t.Fatalf("instance %d stopped, want %d", got, first.who)
	}
	second := <-terms
	if second.who == first.who {
		t.Fatalf("the stopped instance leads again")
	}
	if d := second.start.Sub(stopAt); d > 2*time.Second {
		t.Errorf("takeover took %v", d)
	}
	cancel()
	wg.Wait()
}

func TestALeaderWhoseLockConnectionDiesStepsDown(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	leading := make(chan string, 10)
	ended := make(chan string, 10)
	lead := func(name string, st *Store) {
		st.Lead(ctx, func(lead context.Context) error {
			leading <- name
			<-lead.Done()
			ended <- name
			return nil
		})
	}
	var wg sync.WaitGroup
	wg.Go(func() { lead("a", a) })
	first := <-leading
	wg.Go(func() { lead("b", b) })
	// The database ends the leader's session (an administrator, a
	// failover of the server): the leader steps down, the other leads.
	conn := connect(t, dsn)
	var n int
	err := conn.QueryRow(context.Background(), `SELECT count(pg_terminate_backend(pid)) FROM pg_locks
		WHERE locktype = 'advisory' AND classid = $1 AND objid = hashtext(current_schema())::oid AND granted
		AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`, lockLeader).Scan(&n)
	if err != nil || n != 1 {
		t.Fatalf("terminated %d sessions (%v), want the leader's", n, err)
	}
	select {
	case got := <-ended:
		if got != first {
			t.Fatalf("%s stepped down, want %s", got, first)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the leader did not notice that it lost its lock")
	}
	select {
	case <-leading:
	case <-time.After(5 * time.Second):
		t.Fatal("nobody leads after the leader's session ended")
	}
	cancel()
	wg.Wait()
}

func TestEachSchemaElectsItsOwnLeader(t *testing.T) {
	a, b := open(t, storetest.Postgres(t)), open(t, storetest.Postgres(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	leading := make(chan bool, 2)
	var wg sync.WaitGroup
	for _, st := range []*Store{a, b} {
		wg.Go(func() {
			st.Lead(ctx, func(lead context.Context) error { leading <- true; <-lead.Done(); return nil })
		})
	}
	for range 2 {
		select {
		case <-leading:
		case <-time.After(5 * time.Second):
			t.Fatal("an installation in another schema waits for this one's leader")
		}
	}
	cancel()
	wg.Wait()
}

func TestAScheduleChangedByOneInstanceReachesAnothersWatcher(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	heard := make(chan string, 10)
	var wg sync.WaitGroup
	wg.Go(func() { b.WatchSchedules(ctx, func(id string) { heard <- id }) })
	if got := <-heard; got != "" {
		t.Fatalf("first call %q, want \"\" (read everything)", got)
	}
	if _, err := a.UpdateSchedule(ctx, "debat/0000000001", func(sc *schedule.Schedule) error { sc.Kind = schedule.DebatePrep; return nil }); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-heard:
		if got != "debat/0000000001" {
			t.Errorf("heard %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the change did not arrive")
	}
	// A change that fails is not announced.
	a.UpdateSchedule(ctx, "debat/0000000002", func(*schedule.Schedule) error { return errors.New("no") })
	if _, err := a.UpdateSchedule(ctx, "debat/0000000003", func(*schedule.Schedule) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if got := <-heard; got != "debat/0000000003" {
		t.Errorf("heard %q, want only the committed change", got)
	}
	cancel()
	wg.Wait()
}

func TestARequestSeenByOneInstanceIsARepeatForAll(t *testing.T) {
	dsn := storetest.Postgres(t)
	stores := []*Store{open(t, dsn), open(t, dsn), open(t, dsn)}
	now := time.Now()
	var mu sync.Mutex
	firsts := 0
	var wg sync.WaitGroup
	for i := range 30 {
		wg.Go(func() {
			first, err := stores[i%3].FirstSeen(context.Background(), [16]byte{1, 2, 3}, now, now.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			if first {
				mu.Lock()
				firsts++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if firsts != 1 {
		t.Errorf("%d instances saw it first, want 1", firsts)
	}
	// After its time it is new again, once.
	later := now.Add(2 * time.Minute)
	for i, want := range []bool{true, false} {
		if first, err := stores[i].FirstSeen(context.Background(), [16]byte{1, 2, 3}, later, later.Add(time.Minute)); first != want || err != nil {
			t.Errorf("after expiry, call %d: %v (%v), want %v", i, first, err, want)
		}
	}
}

func TestClaimsOfTwoInstancesHaveOneWinner(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := open(t, dsn), open(t, dsn)
	at := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i, st := range []*Store{a, b} {
		wg.Go(func() {
			_, errs[i] = st.ClaimRun(context.Background(), "r", at, func(sc *schedule.Schedule) error { return nil })
		})
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, schedule.ErrRunClaimed):
			t.Error(err)
		}
	}
	if won != 1 {
		t.Errorf("%d claims won, want 1 (%v)", won, errs)
	}
}

func TestCloseDueOfTwoInstancesClosesOnce(t *testing.T) {
	dsn := storetest.Postgres(t)
	a, b := open(t, dsn), open(t, dsn)
	ctx := context.Background()
	p := storetest.Poll("aaaa", "c1")
	p.ClosesAt = storetest.T0
	if err := a.CreatePoll(ctx, p); err != nil {
		t.Fatal(err)
	}
	got := make([][]poll.Poll, 2)
	var wg sync.WaitGroup
	for i, st := range []*Store{a, b} {
		wg.Go(func() { got[i], _, _ = st.CloseDue(ctx, storetest.T0) })
	}
	wg.Wait()
	if len(got[0])+len(got[1]) != 1 {
		t.Errorf("closed %d and %d times, want once in all", len(got[0]), len(got[1]))
	}
}

func TestRemindersClaimedByTwoInstancesReachEachPersonOnce(t *testing.T) {
	dsn := storetest.Postgres(t)
	storetest.ConcurrentReminderClaims(t, open(t, dsn), open(t, dsn))
}

func connect(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}
