package schedule

import (
	"context"
	"time"
)

// Store keeps schedules and their runs durably. Every method is one
// transaction: a schedule is stored whole or not at all. Every method
// takes a context first and returns its error when it is done before the
// transaction starts. Package bot/store implements it on bbolt.
type Store interface {
	// Schedules returns the schedules whose ID starts with prefix, in ID order.
	Schedules(ctx context.Context, prefix string) ([]Schedule, error)
	// Schedule returns the schedule with id, and false when there is none.
	Schedule(ctx context.Context, id string) (Schedule, bool, error)
	// UpdateSchedule reads the schedule with id (a zero Schedule with only ID
	// set when there is none), lets fn change it and stores it. When fn
	// returns an error nothing is stored and the error is returned.
	UpdateSchedule(ctx context.Context, id string, fn func(*Schedule) error) (Schedule, error)
	// NextNumber returns a number never returned before, for debate IDs.
	NextNumber(ctx context.Context) (uint64, error)
	// ClaimRun records the run (id, at) as claimed and applies fn to the
	// schedule (a zero Schedule with only ID set when there is none),
	// atomically. It returns ErrRunClaimed when that run was claimed
	// before; fn's error aborts the claim and is returned. fn may be called
	// more than once, so it must not have effects outside the schedule.
	ClaimRun(ctx context.Context, id string, at time.Time, fn func(*Schedule) error) (Schedule, error)
	// FinishRun records how a claimed run ended.
	FinishRun(ctx context.Context, id string, at time.Time, state RunState) error
	// Runs returns the runs in state, oldest first.
	Runs(ctx context.Context, state RunState) ([]Run, error)
	// PruneRuns deletes runs scheduled before t and returns how many.
	PruneRuns(ctx context.Context, t time.Time) (int, error)
}
