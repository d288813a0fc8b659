package bot_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/waardenbot/waardenbot/bot"
)

// TestThousandConcurrentVotersEndWithExactCounts has 1,000 people vote at
// once on one poll; every third changes their vote, every seventh then
// withdraws it, and a few vote twice the same. The counts must be exact.
func TestThousandConcurrentVotersEndWithExactCounts(t *testing.T) {
	for _, anon := range []string{"", "anoniem "} {
		t.Run("anon="+fmt.Sprint(anon != ""), func(t *testing.T) {
			f := newFixture(t, bot.Config{})
			id := f.mustPoll("anna", "c1", "/casus "+anon+"max=2 Tekst | privacy, gelijkheid, orde, doelmatigheid").ID
			keys := []string{"privacy", "gelijkheid", "orde", "doelmatigheid"}
			const n = 1000
			final := make([][]string, n) // what each voter's vote should end as
			var wg sync.WaitGroup
			for i := range n {
				first := []string{keys[i%4], keys[(i+1)%4]}
				final[i] = first
				var steps [][]string
				steps = append(steps, first)
				if i%3 == 0 {
					final[i] = []string{keys[(i+2)%4]}
					steps = append(steps, final[i])
				}
				if i%7 == 0 {
					final[i] = nil
					steps = append(steps, nil)
				}
				if i%11 == 0 {
					steps = append(steps, final[i])
				}
				wg.Go(func() {
					r := req(fmt.Sprintf("U%04d", i), "c1")
					for _, s := range steps {
						text := "/stem " + id
						for j, k := range s {
							if j > 0 {
								text += ","
							}
							text += " " + k
						}
						if rep := f.bot.HandleText(context.Background(), r, text); rep.Status != bot.Answered {
							t.Errorf("voter %d: %s", i, rep.Text)
						}
					}
				})
			}
			wg.Wait()
			want := map[string]int{}
			voters := 0
			for _, v := range final {
				if len(v) > 0 {
					voters++
				}
				for _, k := range v {
					want[k]++
				}
			}
			for _, k := range keys {
				want[k] += 0
			}
			r := f.do("anna", "c1", "/uitslag "+id)
			if got := votes(r.Poll); !mapsEqual(got, want) || r.Poll.Voters != voters {
				t.Errorf("got %v with %d voters, want %v with %d", got, r.Poll.Voters, want, voters)
			}
			// The counts survive a restart: they were committed.
			f.restart()
			if got := votes(f.do("anna", "c1", "/uitslag "+id).Poll); !mapsEqual(got, want) {
				t.Errorf("after restart got %v, want %v", got, want)
			}
		})
	}
}
