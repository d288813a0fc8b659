package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// AdminCache answers Request.Admin for an adapter: it asks the platform
// with Ask and keeps each answer for TTL, so that a burst of commands asks
// once and a demoted admin loses the rights within TTL. A failed question
// counts as "not an admin" and is not kept.
type AdminCache struct {
	Ask func(ctx context.Context, team, channel, user string) (bool, error)
	TTL time.Duration
	Log *slog.Logger

	mu   sync.Mutex
	seen map[string]adminAnswer // team, channel, user
}

type adminAnswer struct {
	admin bool
	at    time.Time
}

// maxAdminAnswers bounds the cache; when full it starts again.
const maxAdminAnswers = 10000

// Check is the Request.Admin of a request by user in channel of team.
func (c *AdminCache) Check(team, channel, user string) func(context.Context) bool {
	return func(ctx context.Context) bool {
		key := team + "\x00" + channel + "\x00" + user
		now := time.Now()
		c.mu.Lock()
		got, ok := c.seen[key]
		c.mu.Unlock()
		if ok && now.Sub(got.at) < c.TTL {
			return got.admin
		}
		admin, err := c.Ask(ctx, team, channel, user)
		if err != nil {
			if c.Log != nil {
				c.Log.Warn("could not ask the platform whether a user is an admin; treating them as a member", "user", user, "channel", channel, "error", err)
			}
			return false
		}
		c.mu.Lock()
		if c.seen == nil || len(c.seen) >= maxAdminAnswers {
			c.seen = map[string]adminAnswer{}
		}
		c.seen[key] = adminAnswer{admin: admin, at: now}
		c.mu.Unlock()
		return admin
	}
}
