package bot

import (
	"context"

	"github.com/waardenbot/waardenbot/bot/chat"
)

// Destination is where a message goes without a request: a channel on a
// platform (see package chat, which the poll and schedule packages share).
type Destination = chat.Destination

// Poster sends a message to a channel. Adapters implement it; the bot uses it for
// messages nobody asked for at that moment (scheduled prompts, poll results).
type Poster interface {
	Post(ctx context.Context, to Destination, r Reply) error
}
