package bot

import "context"

// Poster sends a reply to a channel without a request to answer, for
// results of polls that close at their deadline and for scheduled prompts.
// Adapters implement it.
type Poster interface {
	Post(ctx context.Context, to Destination, r Reply) error
}

// Destination is a channel on a platform.
type Destination struct {
	Platform, Team, Channel string
}
