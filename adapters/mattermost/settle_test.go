package mattermost

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

func TestClicksReportOverlapOnceTheLastOverlappingClickEnds(t *testing.T) {
	var c clicks
	c.begin("p1")
	if c.end("p1") {
		t.Error("a lone click counts as overlapping")
	}
	c.begin("p1")
	c.begin("p1")
	c.begin("p2")
	if c.end("p1") {
		t.Error("overlap reported while a click is still running")
	}
	if c.end("p2") {
		t.Error("a click on another poll counts as overlapping")
	}
	if !c.end("p1") {
		t.Error("the last of two overlapping clicks does not report overlap")
	}
	c.begin("p1")
	if c.end("p1") {
		t.Error("overlap is remembered after the burst ended")
	}
}

func TestSettleRedrawsThePostOnceFromTheStore(t *testing.T) {
	fx := newPollFixture(t)
	fx.a.settleDelay = 50 * time.Millisecond
	p := fx.startPoll()
	id := action(t, p, "v0").Integration.Context["poll"].(string)
	// Twenty people click at once; the fake does not apply the updates in
	// the answers, so only a settle can change the stored post.
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() { fx.click(p, "v0", "user"+string(rune('a'+i)), "chan1", nil) })
	}
	wg.Wait()
	for range 5 {
		fx.a.settle(id)
	}
	testkit.WaitFor(t, "the settled post", func() bool {
		return strings.HasPrefix(buttons(fx.f.postsIn("chan1")[0])[0], "Privacy · 20")
	})
	fx.a.inflight.Wait() // every settle scheduled has run
	fx.f.mu.Lock()
	defer fx.f.mu.Unlock()
	if fx.f.patches < 1 || fx.f.patches > 2 { // one from the calls above, maybe one from overlapping clicks
		t.Errorf("%d patches, want the redraws to be shared", fx.f.patches)
	}
}
