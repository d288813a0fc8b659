package mattermost

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/waardenbot/waardenbot/adapters/internal/replay"
)

// postedEvent is the posted event of p as every instance's WebSocket
// delivers it.
func postedEvent(t *testing.T, p *model.Post) *model.WebSocketEvent {
	t.Helper()
	raw, _ := json.Marshal(p)
	m, _ := json.Marshal([]string{botID})
	return model.NewWebSocketEvent(model.WebsocketEventPosted, teamID, p.ChannelId, "", nil, "").
		SetData(map[string]any{"post": string(raw), "channel_type": string(model.ChannelTypeOpen), "sender_name": "@piet", "team_id": teamID, "mentions": string(m)})
}

func TestAMentionDeliveredToEveryInstanceIsAnsweredOnce(t *testing.T) {
	f := newFake(t)
	shared := replay.New(100)
	var instances []*Adapter
	for range 3 {
		a := newTestAdapter(t, f, Config{}, nil)
		WithShared(shared)(a)
		if !a.identify(context.Background()) {
			t.Fatal("identify failed")
		}
		instances = append(instances, a)
	}
	for _, id := range []string{"p1", "p2"} {
		ev := postedEvent(t, mention(id, "chan1", "@waardenbot waarde privacy"))
		var wg sync.WaitGroup
		for _, a := range instances {
			wg.Go(func() { a.onEvent(context.Background(), ev) })
		}
		wg.Wait()
	}
	for _, a := range instances {
		a.inflight.Wait()
	}
	if n := len(f.postsIn("chan1")); n != 2 {
		t.Errorf("%d answers to two mentions that three instances received, want 2", n)
	}
}
