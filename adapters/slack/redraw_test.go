package slack

import (
	"strings"
	"testing"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

func TestRefusedClickDoesNotRedrawThePoll(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	slashCommand(t, a, "U1", "/casus", "max=2 Camera's op het plein? | privacy, orde, doelmatigheid")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	click(t, a, "U2", "vote-privacy", id+" privacy")
	click(t, a, "U2", "vote-orde", id+" orde")
	testkit.WaitFor(t, "the votes' redraw", func() bool {
		ups := api.sent("chat.update")
		return len(ups) > 0 && strings.Join(buttons(lastBlocks(t, ups)), "|") == "Privacy · 1|Orde · 1|Doelmatigheid · 0|Sluit de peiling"
	})
	a.wait()
	before := len(api.sent("chat.update"))

	for i, c := range []struct{ why, action, value string }{
		{"a third value with max=2", "vote-doelmatigheid", id + " doelmatigheid"},
		{"closing someone else's poll", "close", id},
	} {
		click(t, a, "U2", c.action, c.value)
		testkit.WaitFor(t, "the refusal", func() bool { return len(api.sent("chat.postEphemeral")) == i+1 })
		a.wait()
		if n := len(api.sent("chat.update")) - before; n != 0 {
			t.Errorf("refused %s: %d chat.update calls, want none", c.why, n)
		}
	}
}

func TestClickOnAClosedPollsLeftoverButtonRemovesThem(t *testing.T) {
	api := newFakeSlack(t)
	a, b := newPollAdapter(t, api)
	slashCommand(t, a, "U1", "/casus", "Camera's op het plein? | privacy, orde")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	// Closed where the message did not follow (say chat.update failed).
	if r := b.HandleText(t.Context(), a.request("T1", "C1", "U1", "U1"), "/sluit "+id); !r.ChangesPoll() {
		t.Fatalf("close: %s", r.Text)
	}
	api.mu.Lock()
	api.calls = nil
	api.mu.Unlock()

	click(t, a, "U2", "vote-orde", id+" orde")
	testkit.WaitFor(t, "the redraw without buttons", func() bool {
		ups := api.sent("chat.update")
		return len(ups) == 1 && len(buttons(lastBlocks(t, ups))) == 0
	})
	if eph := api.sent("chat.postEphemeral"); len(eph) != 1 {
		t.Errorf("the clicker was told %d times that the poll is closed, want once", len(eph))
	}
}

func TestTypedRequestsThatChangeNothingDoNotRedraw(t *testing.T) {
	api := newFakeSlack(t)
	a, _ := newPollAdapter(t, api)
	slashCommand(t, a, "U1", "/casus", "Camera's op het plein? | privacy, orde")
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	slashCommand(t, a, "U2", "/stem", id+" orde")
	testkit.WaitFor(t, "the vote's redraw", func() bool { return len(api.sent("chat.update")) == 1 })

	for _, text := range []string{"/stem " + id + " orde", "/uitslag " + id, "/stem " + id + " xyzzy"} {
		before := len(api.sent("chat.update"))
		cmd, args, _ := strings.Cut(text, " ")
		slashCommand(t, a, "U2", cmd, args)
		a.wait()
		if n := len(api.sent("chat.update")) - before; n != 0 {
			t.Errorf("%s: %d chat.update calls, want none", text, n)
		}
	}
}
