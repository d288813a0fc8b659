package bot

import (
	"context"
	"strings"
	"time"

	"github.com/waardenbot/waardenbot/bot/schedule"
)

// Scheduler posts the reflection prompts and debate prep cards that
// /reflectie and /debat plan, at their times, through the adapters'
// Posters. Package schedule decides when and claims each run; the bot
// makes the claimed run into a Reply (after the claim has committed) and
// posts it with the Poster of the channel's platform.
type Scheduler struct{ b *Bot }

// Run restores the schedules, posts missed runs within the grace period,
// then posts every run at its time through p until ctx is cancelled (see
// schedule.Scheduler.Run).
func (s *Scheduler) Run(ctx context.Context, p Poster) error {
	return s.b.sched.Run(ctx, s.b.scheduledPoster(p))
}

// Restore loads the schedules and posts missed runs within the grace
// period through p; Run after Restore does not restore again (see
// schedule.Scheduler.Restore).
func (s *Scheduler) Restore(ctx context.Context, p Poster) error {
	return s.b.sched.Restore(ctx, s.b.scheduledPoster(p))
}

// RunDue posts every run due at the bot's clock and returns when the next
// run is due (zero when none is queued). Tests call it after moving the
// clock.
func (s *Scheduler) RunDue(ctx context.Context) time.Time { return s.b.sched.RunDue(ctx) }

// Len is the number of runs waiting in the queue.
func (s *Scheduler) Len() int { return s.b.sched.Len() }

// scheduled makes claimed runs into messages and posts them with a Poster.
type scheduled struct {
	b *Bot
	p Poster
}

func (b *Bot) scheduledPoster(p Poster) schedule.Poster {
	if p == nil {
		return nil
	}
	return scheduled{b: b, p: p}
}

// Post implements schedule.Poster.
func (s scheduled) Post(ctx context.Context, c schedule.Claimed) error {
	return s.p.Post(ctx, c.Schedule.To, s.b.scheduledMessage(c))
}

// scheduledMessage is the message of a claimed run: a reflection prompt
// with the value the claim took, or a debate prep card; a run posted late
// says when it was due.
func (b *Bot) scheduledMessage(c schedule.Claimed) Reply {
	note := b.movedNote(c)
	if c.Late {
		note = strings.TrimSpace(note + "\n" + b.msg.T("run.late", b.when(c.At, b.zoneOf(c.Schedule))))
	}
	switch c.Schedule.Kind {
	case schedule.Reflection:
		return b.reflectionPrompt(c.Schedule, note)
	case schedule.DebatePrep:
		return b.prepCard(c.Schedule, note)
	}
	return Reply{}
}

// zoneOf is the zone a schedule's times are shown in: its own, or the
// bot's.
func (b *Bot) zoneOf(sc schedule.Schedule) *time.Location {
	if loc, ok := schedule.LoadZone(sc.Zone); ok {
		return loc
	}
	return b.cfg.Location
}
