package slack

import (
	"context"
	"time"

	"github.com/waardenbot/waardenbot/adapters/internal/replay"
)

// replayLimit is how many signatures, trigger_ids and event_ids the
// adapter remembers at most: 262,144, some 870 requests a second for five
// minutes, far beyond what people type and click, in at most about 14 MB.
// Beyond it a request is refused (HTTP 503, or no acknowledgement in
// Socket Mode) rather than risk doing it twice.
const replayLimit = 1 << 18

// How long the adapter remembers a request it has handled. A signed HTTP
// request is remembered for as long as its signature is accepted (see
// verifier.verify). Socket Mode has no signatures; a command or click is
// remembered by its trigger_id for the same five minutes. Slack retries an
// event it saw no acknowledgement for a few times within about five
// minutes, each time signed anew: events are remembered by event_id for
// ten minutes.
const (
	triggerMemory = maxSkew
	eventMemory   = 10 * time.Minute
)

// firstTrigger reports whether a Socket Mode command or click with this
// trigger_id is new. Without a trigger_id it cannot tell, and the request
// counts as new.
func (a *Adapter) firstTrigger(ctx context.Context, triggerID string) (bool, error) {
	if triggerID == "" {
		return true, nil
	}
	now := a.now()
	return a.seen.First(ctx, replay.KeyOf("trigger:"+triggerID), now, now.Add(triggerMemory))
}

// firstEvent reports whether an event with this event_id is new. Without
// an event_id it counts as new (over HTTP its signature still is unique).
func (a *Adapter) firstEvent(ctx context.Context, eventID string) (bool, error) {
	if eventID == "" {
		return true, nil
	}
	now := a.now()
	return a.seen.First(ctx, replay.KeyOf("event:"+eventID), now, now.Add(eventMemory))
}
