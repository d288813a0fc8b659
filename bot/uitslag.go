package bot

import (
	"context"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// uitslag answers /uitslag ID: the current or final result, for anyone in
// the poll's channel.
func (b *Bot) uitslag(ctx context.Context, req Request) Reply {
	if b.polls == nil {
		return b.noPolls()
	}
	if poll.NormalizeID(req.Args) == "" {
		return b.refuse("result.usage")
	}
	p, t, err := b.polls.Show(ctx, destination(req), req.Args)
	if err != nil {
		return b.pollRefusal("result", err, nil)
	}
	v := b.pollView(ctx, p, t, true)
	return Reply{Text: v.Parts().Result.Markdown(), Poll: v, Ephemeral: !p.CountsShown(b.now())}
}
