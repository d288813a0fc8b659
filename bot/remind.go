package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// How reminders go out: the due polls are looked for every remindEvery;
// each person is claimed just before their reminder is sent (one commit
// each), a send the platform refuses with 429 is tried again after its
// Retry-After, up to remindTries times, and a send may take remindSend.
// A channel whose members could not be listed is tried again after
// remindRetry.
const (
	remindEvery = 5 * time.Second
	remindTries = 6
	remindSend  = 30 * time.Second
	remindRetry = time.Minute
)

// reminding remembers, per poll, when to try again to list its channel's
// members after a failure.
type reminding struct {
	mu    sync.Mutex
	retry map[string]time.Time
}

// RunReminders sends the reminders of polls with herinnering= when they
// are due (see RemindDue), until ctx is cancelled: at once, for reminders
// that came due while the bot was down, and then every interval. Run runs
// it.
func (b *Bot) RunReminders(ctx context.Context, every time.Duration) error {
	if b.polls == nil {
		return ErrNoPolls
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := b.RemindDue(ctx); err != nil && ctx.Err() == nil {
			b.log.Error("send reminders", "err", err, "fix", "check the store (waardenbot check); reminders not claimed yet are tried again in a minute")
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// RemindDue sends the reminders that are due at the bot's clock and
// returns how many it sent. For each poll whose reminder time has come it
// lists the members of the poll's channel (the platform's Roster), and
// for each of them who was there when the poll started and has not voted
// it claims the reminder in the store and then sends it privately
// (Roster.PostPrivate). A claim is committed before its reminder is sent
// and never made twice, so a restart in the middle resumes with the
// people not yet reminded and nobody gets two; a stop (ctx cancelled)
// lets the reminder under way finish, and only a crash between a claim
// and its send loses that one reminder. A poll that closes meanwhile gets
// no more reminders.
func (b *Bot) RemindDue(ctx context.Context) (int, error) {
	if b.polls == nil {
		return 0, ErrNoPolls
	}
	due, err := b.polls.RemindersDue(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, p := range due {
		n, err := b.remind(ctx, p)
		sent += n
		if err != nil {
			errs = append(errs, fmt.Errorf("poll %s: %w", p.ID, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return sent, errors.Join(errs...)
}

// remind sends p's due reminders.
func (b *Bot) remind(ctx context.Context, p poll.Poll) (int, error) {
	r := b.roster()
	if !r.has(p.Where) {
		b.log.Warn("no way to reach the members of the poll's channel (its platform is not running): its reminders are given up", "poll", p.ID, "platform", p.Where.Platform)
		return 0, b.polls.RemindersDone(ctx, p.ID)
	}
	if b.waitingToRetry(p.ID) {
		return 0, nil
	}
	users, err := r.Members(ctx, p.Where)
	if err != nil {
		b.retryLater(p.ID)
		return 0, fmt.Errorf("list the members of channel %s: %w", p.Where.Channel, err)
	}
	msg := b.reminder(p)
	sent := 0
	for _, u := range users {
		if err := ctx.Err(); err != nil {
			return sent, err
		}
		// A /sluit closes the poll without the deadline: read it again.
		if cur, _, err := b.polls.Get(ctx, p.ID); err != nil || cur.IsClosed(b.now()) {
			return sent, err // closed meanwhile (or deleted): no more reminders
		}
		claimed, err := b.polls.ClaimReminders(ctx, p, []string{u})
		if err != nil {
			return sent, err
		}
		if len(claimed) == 0 {
			continue // voted, joined later, or reminded before
		}
		// The log names nobody of an anonymous poll: who had not voted
		// is not the log's business.
		who := u
		if p.Anon {
			who = "(anonymous poll)"
		}
		switch err := b.sendPrivately(ctx, r, p.Where, u, msg); {
		case err == nil:
			sent++
		case errors.Is(err, ErrNotAPerson):
			b.log.Debug("no reminder for a bot or a deactivated account", "poll", p.ID, "user", who)
		default:
			// Claimed already: this person is not tried again.
			b.log.Warn("reminder not delivered", "poll", p.ID, "user", who, "err", err)
		}
	}
	if sent > 0 {
		b.log.Info("reminders sent", "poll", p.ID, "count", sent)
	}
	return sent, b.polls.RemindersDone(ctx, p.ID)
}

// sendPrivately sends r to user in ch, waiting as long as the platform
// asks when it answers 429. The send itself is not cut off by a stop (ctx
// cancelled): its claim is made, and only a crash should lose it; a wait
// for the platform is.
func (b *Bot) sendPrivately(ctx context.Context, roster Roster, ch Destination, user string, r Reply) error {
	for try := 1; ; try++ {
		sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), remindSend)
		err := roster.PostPrivate(sendCtx, ch, user, r)
		cancel()
		var limited *RateLimited
		if !errors.As(err, &limited) || try == remindTries {
			return err
		}
		wait := max(limited.Wait, 100*time.Millisecond)
		b.log.Info("the platform asks to wait before the next reminder", "wait", wait)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

// reminder is the private message that reminds someone of poll p: the
// casus or statement, the options and how to vote, and when it closes.
func (b *Bot) reminder(p poll.Poll) Reply {
	var sb strings.Builder
	sb.WriteString(b.msg.T("remind.title", p.ID, b.formatTime(p.ClosesAt)))
	sb.WriteString("\n> " + Quote(p.Question, 500) + "\n\n")
	var labels []string
	for i, o := range p.Options {
		labels = append(labels, fmt.Sprintf("%d. %s", i+1, Escape(o.Label)))
	}
	sb.WriteString(strings.Join(labels, " · ") + "\n")
	sb.WriteString(b.msg.T("remind.howto", p.ID, p.Options[0].Key))
	if p.Anon {
		sb.WriteString("\n" + b.msg.T("remind.anon"))
	}
	return Reply{Text: sb.String(), Ephemeral: true}
}

func (b *Bot) waitingToRetry(id string) bool {
	b.reminding.mu.Lock()
	defer b.reminding.mu.Unlock()
	at, ok := b.reminding.retry[id]
	if ok && b.now().Before(at) {
		return true
	}
	delete(b.reminding.retry, id)
	return false
}

func (b *Bot) retryLater(id string) {
	b.reminding.mu.Lock()
	defer b.reminding.mu.Unlock()
	if b.reminding.retry == nil {
		b.reminding.retry = map[string]time.Time{}
	}
	b.reminding.retry[id] = b.now().Add(remindRetry)
}
