package bot

import "context"

// Destination is where a message goes without a request: a channel on a platform.
type Destination struct {
	Platform string
	Team     string
	Channel  string
}

// Poster sends a message to a channel. Adapters implement it; the bot uses it for
// messages nobody asked for at that moment (scheduled prompts, poll results).
type Poster interface {
	Post(ctx context.Context, to Destination, r Reply) error
}
