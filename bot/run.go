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
func (b *Bot) CatchUp(ctx context.Context, p Poster) error {
	if _, err := b.CloseDue(ctx, p); err != nil && !errors.Is(err, ErrNoPolls) {
		b.log.Error("close polls at their deadline", "err", err)
	}
	b.PruneClosed(ctx)
	return b.Scheduler().Restore(ctx, p)
}

// Run posts with p what nobody asked for at that moment until ctx ends:
// poll results at their deadlines (RunDeadlines, every 5 seconds) and the
// scheduled reflection prompts and debate prep cards (Scheduler().Run).
// It needs a store (WithStore). When one of them fails, Run
// stops the other and returns its error; otherwise it returns nil once
// both have stopped after ctx ended.
func (b *Bot) Run(ctx context.Context, p Poster) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	fail := func(err error) {
		// Stopping in the middle of start-up (restoring the schedules)
		// ends in context.Canceled: that is stopping, not failing.
		if err != nil && !(errors.Is(err, context.Canceled) && ctx.Err() != nil) {
			once.Do(func() { first = err })
			cancel()
		}
	}
	wg.Go(func() {
		if err := b.RunDeadlines(ctx, p, deadlineEvery); !errors.Is(err, ErrNoPolls) {
			fail(err)
		}
	})
	wg.Go(func() { fail(b.Scheduler().Run(ctx, p)) })
	wg.Wait()
	return first
}
