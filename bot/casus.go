package bot

import (
	"context"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// casusArgsMax is the longest /casus or /stelling the router passes on. It
// is well above the longest text a poll takes (3000 runes, up to four
// bytes each, plus settings and values) so that an overlong casus gets the
// answer that names that limit.
const casusArgsMax = 64 << 10

// casus answers /casus [settings] TEXT [| value, value, …]: it posts the
// casus as a poll on the values at stake.
func (b *Bot) casus(ctx context.Context, req Request) Reply {
	return b.startPoll(ctx, req, poll.Values)
}

// startPoll creates a poll of kind from the request and answers with it,
// to be posted in the channel.
func (b *Bot) startPoll(ctx context.Context, req Request, kind poll.Kind) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	p, err := b.polls.Create(ctx, person(req), kind, req.Args)
	if err != nil {
		return b.pollRefusal("create poll", err, nil)
	}
	v := b.view(p, poll.Tally{Votes: map[string]int{}}, false)
	return Reply{Text: v.Parts().Markdown(), Poll: v, NewPoll: true}
}
