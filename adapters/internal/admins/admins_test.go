package admins_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/adapters/internal/admins"
)

func TestAnAnswerIsKeptForItsTTLAndAFailureIsNot(t *testing.T) {
	asked := 0
	fail := false
	c := &admins.Cache{TTL: time.Hour, Ask: func(_ context.Context, team, channel, user string) (bool, error) {
		asked++
		if fail {
			return true, errors.New("platform down")
		}
		return user == "boss", nil
	}}
	ctx := context.Background()
	if !c.Check("T", "C", "boss")(ctx) || !c.Check("T", "C", "boss")(ctx) || asked != 1 {
		t.Fatalf("boss: asked %d times, want once for two checks", asked)
	}
	fail = true
	if c.Check("T", "C", "piet")(ctx) {
		t.Error("a failed question made piet an admin")
	}
	fail = false
	if c.Check("T", "C", "piet")(ctx) || asked != 3 {
		t.Errorf("after a failure the platform was asked %d times in all, want 3: a failure is not kept", asked)
	}
}
