package mattermost

import (
	"context"
	"errors"
	"time"

	"github.com/waardenbot/waardenbot/adapters/internal/replay"
)

// Mattermost signs neither slash command requests nor button clicks (a
// command carries its token, a click the context the bot signed), so a
// request that a proxy or a client sends again would be done again: a
// second /casus, a vote toggled back. Every slash command request and
// every click carries a trigger_id that the server makes new for each
// request, so the adapter remembers trigger_ids and answers a repeat
// without doing its work again (an empty ephemeral response to a command,
// an empty answer to a click: Mattermost then shows nothing more).
//
// A request without a trigger_id (a command created by hand on a server
// that sends none) cannot be told from a repeat and counts as new. Dialog
// submissions carry no trigger_id; the only one, the close confirmation,
// changes nothing when repeated (the poll is closed already).
const (
	// replayLimit is how many trigger_ids the adapter remembers at most;
	// beyond it a request is refused (503, logged) rather than risk doing
	// it twice. 65,536 is some 100 requests a second for ten minutes, in
	// at most about 4 MB.
	replayLimit = 1 << 16
	// triggerMemory is how long a trigger_id is remembered: a resend by a
	// proxy or a client comes within seconds.
	triggerMemory = 10 * time.Minute
)

// firstRequest reports whether a request with this trigger_id (or a post
// with this ID) is new. kind ("command", "click", "mention") keeps the
// kinds apart in the one memory.
func (a *Adapter) firstRequest(ctx context.Context, kind, triggerID string) (bool, error) {
	if triggerID == "" {
		return true, nil
	}
	now := time.Now()
	first, err := a.seen.First(ctx, replay.KeyOf(kind+":"+triggerID), now, now.Add(triggerMemory))
	switch {
	case errors.Is(err, replay.ErrFull):
		a.log.Error("too many recent requests to tell a repeat from a new one; request refused", "kind", kind, "remembered", a.seen.Local.Len(), "fix", replay.Fix(err))
	case err != nil:
		a.log.Error("cannot tell a repeat from a new request; request refused", "kind", kind, "error", err, "fix", replay.Fix(err))
	}
	return first, err
}
