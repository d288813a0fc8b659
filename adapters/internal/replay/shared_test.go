package replay

import (
	"context"
	"errors"
	"testing"
	"time"
)

// downShared is a shared memory that cannot be reached.
type downShared struct{}

func (downShared) FirstSeen(context.Context, [16]byte, time.Time, time.Time) (bool, error) {
	return false, errors.New("connection refused")
}

func TestMemoryAsksTheSharedMemoryInsteadOfItsOwn(t *testing.T) {
	ctx, now := context.Background(), time.Now()
	shared := New(100)
	a := Memory{Local: New(100), Shared: shared}
	b := Memory{Local: New(100), Shared: shared}
	k := KeyOf("event:Ev1")
	if first, err := a.First(ctx, k, now, now.Add(time.Minute)); !first || err != nil {
		t.Fatalf("first instance: %v, %v", first, err)
	}
	if first, err := b.First(ctx, k, now, now.Add(time.Minute)); first || err != nil {
		t.Errorf("second instance: %v, %v; want a repeat", first, err)
	}
	if a.Local.Len() != 0 || b.Local.Len() != 0 {
		t.Errorf("the instances' own guards hold keys")
	}
	alone := Memory{Local: New(100)}
	if first, _ := alone.First(ctx, k, now, now.Add(time.Minute)); !first || alone.Local.Len() != 1 {
		t.Errorf("without a shared memory the own guard decides")
	}
}

func TestMemoryRefusesWhenTheSharedMemoryCannotTell(t *testing.T) {
	m := Memory{Local: New(100), Shared: downShared{}}
	now := time.Now()
	if first, err := m.First(context.Background(), KeyOf("x"), now, now.Add(time.Minute)); first || err == nil {
		t.Errorf("got %v, %v; want an error and no go-ahead", first, err)
	}
}
