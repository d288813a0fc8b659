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
// Post returns an error only when the text did not go out: a file of the
// reply (Reply.Files) that fails is logged and left out, since the bot
// tries the whole message again after an error and would post its text
// twice.
type Poster interface {
	Post(ctx context.Context, to Destination, r Reply) error
}
