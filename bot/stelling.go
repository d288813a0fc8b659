package bot

import (
	"context"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// stelling answers /stelling [settings] TEXT: a statement with eens,
// neutraal and oneens, one choice each. /stelling opnieuw ID and
// /stelling alone work as for /casus.
func (b *Bot) stelling(ctx context.Context, req Request) Reply {
	return b.startPoll(ctx, req, poll.Statement)
}
