package bot

import (
	"fmt"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// PollView is a poll as an adapter shows it: the casus or statement, one
// button per option with its count, and the result once closed. Text in it
// is what users typed with whole-channel mentions broken, but not escaped
// for any markup: an adapter escapes it for its platform. In a hidden poll
// that is still open every count is 0 and Result is nil.
//
// Its fields are data (and the `ask --json` contract); Parts has the same
// poll as sentences in the bot's language, for an adapter to lay out.
type PollView struct {
	ID        string       `json:"id"`
	Kind      poll.Kind    `json:"kind"`
	Question  string       `json:"question"` // the casus or the statement
	Prompt    string       `json:"prompt"`   // "Welke waarden wegen voor jou het zwaarst?"
	Options   []OptionView `json:"options"`
	Voters    int          `json:"voters"`
	Closed    bool         `json:"closed"`
	Anonymous bool         `json:"anonymous"`
	Hidden    bool         `json:"hidden"`
	Max       int          `json:"max"`                // options one voter may pick
	Proposed  bool         `json:"proposed,omitempty"` // the bot chose the values
	Creator   string       `json:"creator,omitempty"`  // readable name; empty in an anonymous poll
	ClosesAt  time.Time    `json:"closes_at,omitzero"`
	Result    *ResultView  `json:"result,omitempty"`

	// Where the poll is, and its own message there once an adapter
	// posted it (PollPosted): what an adapter needs to redraw it.
	Where   Destination `json:"-"`
	Message string      `json:"-"`

	parts partsSource // what Parts builds from
}

// Parts returns the poll as localised sentences in parts (see PollParts).
// They are built on each call, not with the view, so that a reply whose
// poll nobody lays out (a vote's) does not pay for them: call it once per
// message. A view that did not come from the bot has none.
func (v *PollView) Parts() *PollParts {
	if v == nil || v.parts.b == nil {
		return nil
	}
	s := &v.parts
	return s.b.pollParts(s.p, s.t, s.now, s.withResult, s.r)
}

// partsSource is what a view's parts are built from.
type partsSource struct {
	b          *Bot
	p          poll.Poll
	t          poll.Tally
	now        time.Time
	withResult bool
	r          *poll.Result // nil while the counts are hidden
}

// OptionView is one option of a PollView.
type OptionView struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Cluster string `json:"cluster"`
	OnMap   bool   `json:"on_map"`
	Votes   int    `json:"votes"`
}

// ResultView is the part of a result beyond the counts per option.
type ResultView struct {
	Clusters  []poll.Count    `json:"clusters"`
	Strong    []string        `json:"strong"` // option keys
	Tensions  []TensionView   `json:"tensions"`
	Questions []poll.FollowUp `json:"questions"`
}

// TensionView is a tension with its text, "Privacy (Vrijheid) ↔
// Doelmatigheid (Nut)".
type TensionView struct {
	A    string `json:"a"` // option keys
	B    string `json:"b"`
	Text string `json:"text"`
}

// view is p with tally t as adapters show it; with withResult the result
// is included when the counts may be shown (and in the parts also when
// they may not: it then says only how many voted).
func (b *Bot) view(p poll.Poll, t poll.Tally, withResult bool) *PollView {
	now := b.now()
	show := p.CountsShown(now)
	v := &PollView{
		ID: p.ID, Kind: p.Kind, Question: Neutralize(p.Question), Prompt: b.prompt(p),
		Voters: t.Voters, Closed: p.IsClosed(now), Anonymous: p.Anon, Hidden: p.Hidden,
		Max: p.Max, Proposed: p.Proposed, Where: p.Where, Message: p.Message,
	}
	if !p.ClosesAt.IsZero() {
		v.ClosesAt = p.ClosesAt.In(b.cfg.Location)
	}
	if !p.Anon {
		v.Creator = Neutralize(p.Name)
	}
	for _, o := range p.Options {
		ov := OptionView{Key: o.Key, Label: Neutralize(o.Label), Cluster: o.Cluster, OnMap: o.OnMap}
		if show {
			ov.Votes = t.Votes[o.Key]
		}
		v.Options = append(v.Options, ov)
	}
	withResult = withResult || v.Closed
	var r *poll.Result
	if show && withResult {
		res := b.polls.Result(p, t)
		r = &res
		rv := &ResultView{Clusters: r.Clusters, Questions: r.Questions}
		for _, o := range r.Strong {
			rv.Strong = append(rv.Strong, o.Key)
		}
		for _, x := range r.Tensions {
			rv.Tensions = append(rv.Tensions, TensionView{A: x.A.Key, B: x.B.Key, Text: Neutralize(b.tensionText(x))})
		}
		v.Result = rv
	}
	v.parts = partsSource{b: b, p: p, t: t, now: now, withResult: withResult, r: r}
	return v
}

func (b *Bot) prompt(p poll.Poll) string {
	if p.Kind == poll.Statement {
		return b.msg.T("poll.prompt.stelling")
	}
	return b.msg.T("poll.prompt.waarden")
}

// clusterName is an option's cluster as shown, or that it is not on the map.
func (b *Bot) clusterName(o poll.Option) string {
	if o.OnMap {
		return o.Cluster
	}
	return b.msg.T("poll.offmap")
}

func (b *Bot) tensionText(x poll.Tension) string {
	return fmt.Sprintf("%s (%s) ↔ %s (%s)", x.A.Label, b.clusterName(x.A), x.B.Label, b.clusterName(x.B))
}
