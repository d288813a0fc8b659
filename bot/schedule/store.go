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

// Watcher is a Store that several processes share and that tells each of
// them about changes any of them made (package bot/store/postgres). While
// a Scheduler runs on a Watcher, a schedule that another process changed
// (a /reflectie or /debat handled there) is queued as if it had been
// changed here.
type Watcher interface {
	// WatchSchedules calls changed with the ID of every schedule stored
	// with UpdateSchedule, by any process, until ctx ends; and with ""
	// whenever changes may have been missed (when it starts, after a lost
	// connection): then every schedule must be read again.
	WatchSchedules(ctx context.Context, changed func(id string)) error
}
