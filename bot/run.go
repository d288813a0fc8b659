package bot

import (
	"context"
	"errors"
	"sync"
	"time"
)

// deadlineEvery is how often Run looks for polls whose deadline has come.
const deadlineEvery = 5 * time.Second

// CatchUp does what a bot that was down must do before it serves, posting
// with p: it closes the polls whose deadline passed meanwhile and posts
// their results, deletes old closed polls (Config.KeepClosed) and restores
// the schedules, posting the runs missed within the grace period. Run does
// the same as it starts; call CatchUp first when what it posts must come
// before something else (the console's first prompt). It returns the
// error of restoring the schedules, after which Run would fail too; the
// rest it logs.
//
// With a store that elects a leader (Elector), CatchUp does nothing: the
// instance that leads catches up in Run, each time it takes over.
func (b *Bot) CatchUp(ctx context.Context, p Poster) error {
	if b.elector != nil {
		return nil
	}
	return b.catchUp(ctx, p)
}

func (b *Bot) catchUp(ctx context.Context, p Poster) error {
	if _, err := b.CloseDue(ctx, p); err != nil && !errors.Is(err, ErrNoPolls) {
		b.log.Error("close polls at their deadline", "err", err, "fix", fixStore)
	}
	b.PruneClosed(ctx)
	return b.Scheduler().Restore(ctx, p)
}

// Run posts with p what nobody asked for at that moment until ctx ends:
// poll results at their deadlines (RunDeadlines, every 5 seconds), the
// reminders of polls with herinnering= (RunReminders, through the
// rosters of UseRosters) and the scheduled reflection prompts and debate
// prep cards (Scheduler().Run). It needs a store (WithStore). When one of them fails, Run
// stops the other and returns its error; otherwise it returns nil once
// both have stopped after ctx ended.
//
// When several processes share the store and it elects one of them
// (Elector: package bot/store/postgres does), Run does all this only while
// this process leads: each time it takes over it catches up first (as
// CatchUp), and it stops when it no longer leads. A failure then ends
// only the term, and the process stands for election again.
func (b *Bot) Run(ctx context.Context, p Poster) error {
	if b.elector != nil {
		return b.elector.Lead(ctx, func(ctx context.Context) error {
			if err := b.catchUp(ctx, p); err != nil && ctx.Err() == nil {
				return err
			}
			return b.run(ctx, p)
		})
	}
	return b.run(ctx, p)
}

// Elector is a store that several processes share and that elects one of
// them to run the clock (deadlines, scheduled posts), so that they are
// not all doing it. It is an optional interface of the Store given to
// WithStore. The claims in the store keep every post single even when two
// processes lead at once for a moment; the election only keeps the work in
// one place.
type Elector interface {
	// Lead calls run each time this process becomes the leader, with a
	// context that ends when it stops leading, until ctx ends; then it
	// returns nil. It returns an error only when it cannot take part.
	Lead(ctx context.Context, run func(ctx context.Context) error) error
}

func (b *Bot) run(parent context.Context, p Poster) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	fail := func(err error) {
		// A part that stops because the caller is stopping (the
		// scheduler in the middle of restoring, say) did not fail.
		if err != nil && parent.Err() == nil {
			once.Do(func() { first = err })
			cancel()
		}
	}
	wg.Go(func() {
		if err := b.RunDeadlines(ctx, p, deadlineEvery); !errors.Is(err, ErrNoPolls) {
			fail(err)
		}
	})
	wg.Go(func() {
		if err := b.RunReminders(ctx, remindEvery); !errors.Is(err, ErrNoPolls) {
			fail(err)
		}
	})
	wg.Go(func() { fail(b.Scheduler().Run(ctx, p)) })
	wg.Wait()
	return first
}
