package httpserve

import (
	"testing"
	"time"
)

// Mattermost waits 30 s for a slash command's answer and the adapter gives
// the bot 25 s of it: the write timeout, which runs from the end of the
// request's headers, must not cut off an answer Mattermost still awaits.
func TestDefaultWriteTimeoutOutlastsMattermostsWait(t *testing.T) {
	if d := (Limits{}).withDefaults(); d.Write <= 30*time.Second || d.Read >= d.Write {
		t.Errorf("default read %v, write %v: the write timeout must outlast Mattermost's 30 s and the read timeout", d.Read, d.Write)
	}
}
