package bot

import (
	"context"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// CloseDue closes the polls whose deadline has passed by the bot's clock
// and posts each result with p, once: the store marks a result as posted
// in the transaction that closes the poll, so a restart does not post it
// again. A result that p fails to deliver is tried again a minute later,
// for a day. A casus's result comes with its chart (Reply.Files). It
// returns how many results were posted.
func (b *Bot) CloseDue(ctx context.Context, p Poster) (int, error) {
	if b.polls == nil {
		return 0, ErrNoPolls
	}
	return b.polls.CloseDue(ctx, func(pl poll.Poll, t poll.Tally) error {
		v := b.pollView(ctx, pl, t, true)
		r := Reply{Text: b.msg.T("close.deadline", pl.ID) + "\n\n" + v.Parts().Result.Markdown(), Poll: v, Changed: true,
			Files: b.closeFiles(ctx, pl, t)}
		if err := p.Post(ctx, pl.Where, r); err != nil {
			b.log.Warn("post poll result", "poll", pl.ID, "channel", pl.Where.Channel, "err", err)
			return err
		}
		return nil
	})
}

// pruneEvery is how often RunDeadlines deletes polls closed longer ago
// than Config.KeepClosed.
const pruneEvery = time.Hour

// RunDeadlines closes polls at their deadlines and posts their results
// until ctx is cancelled: at once (for polls whose deadline passed while
// the bot was down) and then every interval. A poll stops taking votes at
// its deadline even before this loop notices it. With Config.KeepClosed it
// also deletes old closed polls, at start and then every hour.
func (b *Bot) RunDeadlines(ctx context.Context, p Poster, every time.Duration) error {
	if b.polls == nil {
		return ErrNoPolls
	}
	if every <= 0 {
		every = 5 * time.Second
	}
	t := time.NewTicker(every)
	defer t.Stop()
	var pruned time.Time
	for {
		if _, err := b.CloseDue(ctx, p); err != nil && ctx.Err() == nil {
			b.log.Error("close polls at their deadline", "err", err, "fix", fixStore)
		}
		if now := b.now(); b.cfg.KeepClosed > 0 && now.Sub(pruned) >= pruneEvery {
			pruned = now
			b.PruneClosed(ctx)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PruneClosed deletes the polls closed longer than Config.KeepClosed ago,
// with their votes, and logs how many.
func (b *Bot) PruneClosed(ctx context.Context) {
	if b.polls == nil || b.cfg.KeepClosed <= 0 {
		return
	}
	n, err := b.polls.Prune(ctx, b.cfg.KeepClosed)
	switch {
	case err != nil && ctx.Err() == nil:
		b.log.Error("delete old closed polls", "err", err, "fix", fixStore)
	case n > 0:
		b.log.Info("deleted old closed polls", "count", n, "closed_before", b.now().Add(-b.cfg.KeepClosed).Format(time.DateOnly))
	}
}
