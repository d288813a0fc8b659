package bot

import (
	"context"
	"errors"
	"fmt"
)

// ErrNoPoster means no poster is known for a destination's platform.
var ErrNoPoster = errors.New("no poster for platform")

// Posters sends each message with the poster of its destination's
// platform: Posters{"console": c, "slack": s}.
type Posters map[string]Poster

// Post implements Poster.
func (p Posters) Post(ctx context.Context, to Destination, r Reply) error {
	if pp, ok := p[to.Platform]; ok {
		return pp.Post(ctx, to, r)
	}
	return fmt.Errorf("post to %s/%s: %w", to.Platform, to.Channel, ErrNoPoster)
}
