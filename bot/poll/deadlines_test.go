package poll

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestCloseDueDeliversEachResultOnceAndRetriesForADay(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	early := f.create(Statement, "duur=30m Vroeg").ID
	late := f.create(Statement, "duur=2u Laat").ID
	f.create(Statement, "Zonder deadline")
	var delivered []string
	var fail error
	deliver := func(p Poll, _ Tally) error {
		if fail != nil {
			return fail
		}
		delivered = append(delivered, p.ID)
		return nil
	}
	if n, err := f.svc.CloseDue(ctx, deliver); n != 0 || err != nil {
		t.Errorf("before any deadline: %d, %v", n, err)
	}
	f.clock.Add(time.Hour)
	if n, err := f.svc.CloseDue(ctx, deliver); n != 1 || err != nil || delivered[0] != early {
		t.Fatalf("after an hour: %d, %v, %v", n, err, delivered)
	}
	if p, _, _ := f.svc.Get(ctx, early); !p.Closed || !p.ClosedAt.Equal(f.clock.Now().Add(-30*time.Minute)) {
		t.Errorf("closed %v at %s, want at its deadline", p.Closed, p.ClosedAt)
	}
	if n, _ := f.svc.CloseDue(ctx, deliver); n != 0 {
		t.Errorf("delivered %d again", n)
	}

	// The later result cannot be delivered: it is tried again a minute
	// later, until a day after the poll closed.
	f.clock.Add(time.Hour)
	fail = errors.New("channel unreachable")
	if n, err := f.svc.CloseDue(ctx, deliver); n != 0 || !errors.Is(err, fail) {
		t.Fatalf("failed delivery: %d, %v", n, err)
	}
	if n, _ := f.svc.CloseDue(ctx, deliver); n != 0 {
		t.Errorf("tried again before the retry delay")
	}
	f.clock.Add(time.Minute)
	fail = nil
	if n, err := f.svc.CloseDue(ctx, deliver); n != 1 || err != nil || delivered[1] != late {
		t.Errorf("retry: %d, %v, %v", n, err, delivered)
	}

	// A result that still cannot be delivered a day later is given up.
	id := f.create(Statement, "duur=1m Opgegeven").ID
	f.clock.Add(25 * time.Hour)
	fail = errors.New("gone")
	if n, err := f.svc.CloseDue(ctx, deliver); n != 0 || err == nil {
		t.Fatalf("failed delivery: %d, %v", n, err)
	}
	f.clock.Add(time.Hour)
	fail = nil
	if n, _ := f.svc.CloseDue(ctx, deliver); n != 0 {
		t.Errorf("the result of %s was tried again after a day", id)
	}
}

func TestPruneDeletesPollsClosedLongerThanKeepAgo(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := f.create(Statement, "Oud").ID
	open := f.create(Statement, "Open").ID
	f.svc.Close(ctx, in("anna"), old, false, nil)
	keep := 30 * 24 * time.Hour
	f.clock.Add(29 * 24 * time.Hour)
	if n, err := f.svc.Prune(ctx, keep); n != 0 || err != nil {
		t.Errorf("pruned %d (%v) before their time", n, err)
	}
	f.clock.Add(2 * 24 * time.Hour)
	if n, err := f.svc.Prune(ctx, keep); n != 1 || err != nil {
		t.Errorf("pruned %d (%v), want 1", n, err)
	}
	if _, _, err := f.svc.Get(ctx, old); !errors.Is(err, ErrNotFound) {
		t.Errorf("old poll still there: %v", err)
	}
	if _, _, err := f.svc.Get(ctx, open); err != nil {
		t.Errorf("open poll deleted: %v", err)
	}
}
