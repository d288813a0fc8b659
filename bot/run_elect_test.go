package bot_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/store"
)

// electedStore is a bbolt store with a fake election: each term is a
// context that the test ends to take the leadership away.
type electedStore struct {
	*store.Store
	terms chan context.CancelFunc // a new term; the test cancels it
	begun chan struct{}           // the term began
	ended chan error              // what run returned when the term ended
}

func (e *electedStore) Lead(ctx context.Context, run func(context.Context) error) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-e.begun:
		}
		lead, cancel := context.WithCancel(ctx)
		e.terms <- cancel
		e.ended <- run(lead)
		cancel()
	}
}

func TestRunWithAnElectionRunsTheClockOnlyWhileLeadingAndCatchesUpAtEachTerm(t *testing.T) {
	e := &electedStore{Store: missedStore(t), terms: make(chan context.CancelFunc, 1), begun: make(chan struct{}), ended: make(chan error, 1)}
	b := botOn(e)
	p := make(postChan, 10)
	if err := b.CatchUp(context.Background(), p); err != nil || len(p) != 0 {
		t.Fatalf("CatchUp with an election did something (%v, %d posts): the leader catches up", err, len(p))
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := b.Run(ctx, p); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	select {
	case r := <-p:
		t.Fatalf("posted %q before leading", r.Text)
	case <-time.After(200 * time.Millisecond):
	}
	e.begun <- struct{}{}
	stop := <-e.terms
	select {
	case r := <-p:
		if r.Poll == nil || r.Poll.ID != "mmmm" {
			t.Errorf("posted %+v, want the missed poll's result", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the leader did not catch up")
	}
	stop()
	if err := <-e.ended; err != nil {
		t.Errorf("a term taken away ended with %v", err)
	}
	// A second term catches up again (nothing left to post) and runs.
	e.begun <- struct{}{}
	stop = <-e.terms
	stop()
	<-e.ended
	cancel()
	wg.Wait()
	if len(p) != 0 {
		t.Errorf("%d more posts, want none: the result was posted once", len(p))
	}
}
