package bot

import "context"

// stelling answers /stelling [settings] TEXT: a statement with eens,
// neutraal and oneens, one choice each.
func (b *Bot) stelling(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	set, text, err := b.parseSettings(req.Args, b.now())
	if err != nil {
		return b.refusal(err, nil)
	}
	if set.max > 0 {
		return b.refuse("poll.stelling_max")
	}
	if err := checkText(text); err != nil {
		return b.refusal(err, nil)
	}
	return b.startPoll(ctx, req, Poll{Kind: StatementPoll, Max: 1, Options: b.statementOptions()}, text, set)
}
