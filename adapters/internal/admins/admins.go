// Package admins answers bot.Request.Admin for an adapter: whether the
// platform calls a user an admin, asked of the platform once and kept for a
// while. An adapter holds one Cache with its own question:
//
//	a.admins = admins.Cache{Ask: a.isAdmin, TTL: time.Minute, Log: log}
//	req.Admin = a.admins.Check(team, channel, user)
package admins

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Cache answers Request.Admin for an adapter: it asks the platform
// with Ask and keeps each answer for TTL, so that a burst of commands asks
// once and a demoted admin loses the rights within TTL. A failed question
// counts as "not an admin" and is not kept.
type Cache struct {
	Ask func(ctx context.Context, team, channel, user string) (bool, error)
	TTL time.Duration
	Log *slog.Logger

	mu   sync.Mutex
	seen map[string]answer // team, channel, user
}

type answer struct {
	admin bool
	at    time.Time
}

// maxAnswers bounds the cache; when full it starts again.
const maxAnswers = 10000

// Check is the Request.Admin of a request by user in channel of team.
func (c *Cache) Check(team, channel, user string) func(context.Context) bool {
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
		if c.seen == nil || len(c.seen) >= maxAnswers {
			c.seen = map[string]answer{}
		}
		c.seen[key] = answer{admin: admin, at: now}
		c.mu.Unlock()
		return admin
	}
}
