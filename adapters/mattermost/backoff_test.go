package mattermost

import (
	"testing"
	"time"
)

func TestBackoffDoublesWithJitterUpToTheCapAndResets(t *testing.T) {
	b := &backoff{min: time.Second, max: 30 * time.Second}
	steps := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for round := 0; round < 50; round++ { // the jitter is random: try it often
		for i, step := range steps {
			d := b.next()
			if d < step || d > min(step+step/2, b.max) {
				t.Fatalf("round %d, attempt %d: waited %s, want between %s and %s", round, i, d, step, min(step+step/2, b.max))
			}
		}
		b.reset()
	}
}
