package bot

import (
	"context"
	"errors"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// casusArgsMax is the longest /casus or /stelling the router passes on. It
// is well above the longest text a poll takes (3000 runes, up to four
// bytes each, plus settings and values) so that an overlong casus gets the
// answer that names that limit.
const casusArgsMax = 64 << 10

// casus answers /casus [settings] TEXT [| value, value, …]: it posts the
// casus as a poll on the values at stake. /casus opnieuw ID repeats a
// poll (see repeat); /casus alone opens the form where the platform has
// forms (Reply.Form) and says how to type it elsewhere.
func (b *Bot) casus(ctx context.Context, req Request) Reply {
	return b.startPoll(ctx, req, poll.Values)
}

// startPoll creates a poll of kind from the request and answers with it,
// to be posted in the channel.
func (b *Bot) startPoll(ctx context.Context, req Request, kind poll.Kind) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	if id, rest, ok := poll.IsRepeat(req.Args); ok {
		return b.repeat(ctx, req, id, rest)
	}
	if req.Args == "" {
		r := b.refuse("poll.empty")
		r.Form = b.pollForm(kind)
		return r
	}
	p, err := b.polls.Create(ctx, person(req), kind, req.Args)
	if err != nil {
		return b.pollRefusal("create poll", err, nil)
	}
	return b.started(ctx, p)
}

// repeat answers /casus opnieuw ID [settings] (and /stelling opnieuw):
// the casus and options of poll id again, as a new poll linked to it.
func (b *Bot) repeat(ctx context.Context, req Request, id, settings string) Reply {
	if poll.NormalizeID(id) == "" {
		return b.refuse("repeat.usage")
	}
	p, err := b.polls.Repeat(ctx, person(req), id, settings)
	if err != nil {
		return b.pollRefusal("repeat poll", err, nil)
	}
	return b.started(ctx, p)
}

// started is the answer with a new poll p, to be posted as its own
// message. A poll with a reminder first records who is in its channel
// now: only they are reminded.
func (b *Bot) started(ctx context.Context, p poll.Poll) Reply {
	if p.RemindBefore > 0 {
		b.takeRoster(ctx, p)
	}
	v := b.pollView(ctx, p, poll.Tally{Votes: map[string]int{}}, false)
	return Reply{Text: v.Parts().Markdown(), Poll: v, NewPoll: true}
}

// takeRoster records the people in p's channel as the ones its reminder
// may reach. When the platform cannot say who they are, nobody is
// reminded, rather than people who joined later: that is logged.
func (b *Bot) takeRoster(ctx context.Context, p poll.Poll) {
	users, err := b.roster().Members(ctx, p.Where)
	if err == nil {
		err = b.polls.SetRoster(ctx, p, users)
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		b.log.Warn("the members of the poll's channel are not known: nobody will be reminded", "poll", p.ID, "platform", p.Where.Platform, "channel", p.Where.Channel, "err", err)
	}
}
