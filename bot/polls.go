package bot

import (
	"context"
	"errors"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// ErrNoPolls means the bot was started without a store (WithStore).
var ErrNoPolls = errors.New("polls are not configured")

// newPolls is the poll service on the store WithStore gave, or nil.
func (b *Bot) newPolls() *poll.Service {
	if b.pollStore == nil {
		return nil
	}
	return poll.NewService(b.pollStore, b.kb, b.now, b.cfg.Location,
		poll.WithStatementLabels(b.msg.T("poll.agree"), b.msg.T("poll.neutral"), b.msg.T("poll.disagree")),
		poll.WithReminders(func(where Destination) bool { return b.roster().has(where) }))
}

// person is who makes req, as the poll service knows them.
func person(req Request) poll.Person {
	user := req.User
	if user == "" {
		user = req.UserName
	}
	return poll.Person{Where: destination(req), User: user, Name: firstNonEmpty(req.UserName, req.User)}
}

func destination(req Request) Destination {
	return Destination{Platform: req.Platform, Team: req.Team, Channel: req.Channel}
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// noPolls is the answer to a poll command when no store is configured.
func (b *Bot) noPolls() Reply { return b.refuse("poll.unavailable") }

// pollRefusal turns an error of the poll service into the answer: a
// *poll.Refusal into the sentence for the user, with the poll as it stands
// when v is not nil; anything else into an internal error, logged as what.
func (b *Bot) pollRefusal(what string, err error, v *PollView) Reply {
	var r *poll.Refusal
	if !errors.As(err, &r) {
		return b.internal(what, err)
	}
	reply := b.refuse(r.Key, b.pollArgs(r.Args)...)
	reply.Poll = v
	return reply
}

// pollArgs writes the arguments of a refusal for the user: what the user
// typed escaped and shortened, a moment on the bot's clock.
func (b *Bot) pollArgs(args []any) []any {
	out := make([]any, len(args))
	for i, a := range args {
		switch a := a.(type) {
		case poll.Echo:
			out[i] = Quote(a.Text, a.Max)
		case time.Time:
			out[i] = b.formatTime(a)
		default:
			out[i] = a
		}
	}
	return out
}

func (b *Bot) formatTime(t time.Time) string {
	return t.In(b.cfg.Location).Format("2006-01-02 15:04")
}

// internal answers a failure on the bot's side: the user gets a sentence,
// the log the error.
func (b *Bot) internal(what string, err error) Reply {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		b.log.Info(what+" cancelled", "err", err)
	} else {
		b.log.Error(what, "err", err, "fix", fixStore)
	}
	return Reply{Text: b.msg.T("err.internal"), Ephemeral: true, Status: Refused}
}

// Key returns a 32-byte key for purpose, derived from the installation's
// secret (HMAC-SHA256 of the purpose). Adapters use it to sign what they
// hand to a platform and get back later, such as the context of a poll
// button, without a secret of their own; different purposes get unrelated
// keys. Without a poll store there is no secret, and Key returns
// ErrNoPolls.
func (b *Bot) Key(ctx context.Context, purpose string) ([]byte, error) {
	if b.polls == nil {
		return nil, ErrNoPolls
	}
	return b.polls.Key(ctx, purpose)
}
