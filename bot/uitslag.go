package bot

import (
	"context"
	"errors"
)

// uitslag answers /uitslag ID: the current or final result, for anyone in
// the poll's channel.
func (b *Bot) uitslag(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	id := normalizeID(req.Args)
	if id == "" {
		return b.refuse("result.usage")
	}
	p, t, err := b.polls.Poll(ctx, id)
	switch {
	case errors.Is(err, ErrPollNotFound):
		return b.refuse("poll.not_found", Quote(id, 10))
	case err != nil:
		return b.internal("result", err)
	case p.Where != destination(req):
		return b.refuse("poll.other_channel", p.ID)
	}
	return Reply{Text: b.resultText(p, t), Poll: b.view(p, t, true), Ephemeral: !countsShown(p, b.now())}
}
