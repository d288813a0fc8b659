package main

import (
	"context"
	"sync"
	"time"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/bot/poll"
	"github.com/waardenbot/waardenbot/bot/store"
)

// lazyStore opens the data file the first time a command needs it, so that
// `waardenbot ask '/waarde privacy'` never touches (or waits for) the file
// while a running bot holds it.
type lazyStore struct {
	path string

	mu  sync.Mutex
	st  *store.Store
	err error
}

var _ poll.Store = (*lazyStore)(nil)

func (l *lazyStore) open() (*store.Store, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st == nil && l.err == nil {
		l.st, l.err = store.Open(l.path)
	}
	return l.st, l.err
}

// opened reports the file and the error of opening it, if a command
// needed it; it never opens the file itself.
func (l *lazyStore) opened() (*store.Store, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.st, l.err
}

// schedules opens the file for the scheduler (bot.WithStore).
func (l *lazyStore) schedules() (bot.ScheduleStore, error) {
	st, err := l.open()
	if err != nil {
		return nil, err
	}
	return st, nil
}

// Close closes the file if it was opened.
func (l *lazyStore) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.st == nil {
		return nil
	}
	err := l.st.Close()
	l.st = nil
	return err
}

func (l *lazyStore) CreatePoll(ctx context.Context, p poll.Poll) error {
	st, err := l.open()
	if err != nil {
		return err
	}
	return st.CreatePoll(ctx, p)
}

func (l *lazyStore) Poll(ctx context.Context, id string) (poll.Poll, poll.Tally, error) {
	st, err := l.open()
	if err != nil {
		return poll.Poll{}, poll.Tally{}, err
	}
	return st.Poll(ctx, id)
}

func (l *lazyStore) Vote(ctx context.Context, id string, voter func(poll.Poll) string, change poll.Change) (poll.Poll, poll.Tally, poll.Vote, error) {
	st, err := l.open()
	if err != nil {
		return poll.Poll{}, poll.Tally{}, poll.Vote{}, err
	}
	return st.Vote(ctx, id, voter, change)
}

func (l *lazyStore) ClosePoll(ctx context.Context, id string, at time.Time, allow func(poll.Poll) error) (poll.Poll, poll.Tally, error) {
	st, err := l.open()
	if err != nil {
		return poll.Poll{}, poll.Tally{}, err
	}
	return st.ClosePoll(ctx, id, at, allow)
}

func (l *lazyStore) CloseDue(ctx context.Context, now time.Time) ([]poll.Poll, []poll.Tally, error) {
	st, err := l.open()
	if err != nil {
		return nil, nil, err
	}
	return st.CloseDue(ctx, now)
}

func (l *lazyStore) Unposted(ctx context.Context, id string, retryAt time.Time) error {
	st, err := l.open()
	if err != nil {
		return err
	}
	return st.Unposted(ctx, id, retryAt)
}

func (l *lazyStore) OpenPolls(ctx context.Context, where bot.Destination) ([]poll.Poll, error) {
	st, err := l.open()
	if err != nil {
		return nil, err
	}
	return st.OpenPolls(ctx, where)
}

func (l *lazyStore) SetPollMessage(ctx context.Context, id, message string) error {
	st, err := l.open()
	if err != nil {
		return err
	}
	return st.SetPollMessage(ctx, id, message)
}

func (l *lazyStore) PrunePolls(ctx context.Context, t time.Time) (int, error) {
	st, err := l.open()
	if err != nil {
		return 0, err
	}
	return st.PrunePolls(ctx, t)
}

func (l *lazyStore) Secret(ctx context.Context) ([]byte, error) {
	st, err := l.open()
	if err != nil {
		return nil, err
	}
	return st.Secret(ctx)
}
