package bot

import (
	"context"
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

	// Added with issue 13; each is left out when it does not apply.
	Open          bool           `json:"open,omitempty"`          // aanvullen: anyone in the channel may add a value
	RemindAt      time.Time      `json:"remind_at,omitzero"`      // when those who have not voted are reminded
	Participation *Participation `json:"participation,omitempty"` // how many of the channel voted, when the platform tells
	Repeats       string         `json:"repeats,omitempty"`       // the poll this one repeats
	RepeatedBy    []string       `json:"repeated_by,omitempty"`   // the polls that repeat this one
	Shift         *ShiftView     `json:"shift,omitempty"`         // how views moved since the poll this one repeats

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
	return v.parts.b.pollParts(&v.parts)
}

// partsSource is what a view's parts are built from.
type partsSource struct {
	b          *Bot
	p          poll.Poll
	t          poll.Tally
	now        time.Time
	withResult bool
	r          *poll.Result // nil while the counts are hidden
	members    int          // people in the channel; with haveCount
	haveCount  bool
	shift      *poll.Shift // with a result, for a repeat whose first poll is readable
}

// OptionView is one option of a PollView.
type OptionView struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Cluster string `json:"cluster"`
	OnMap   bool   `json:"on_map"`
	Votes   int    `json:"votes"`
	Added   bool   `json:"added,omitempty"`    // added after the start (/optie)
	AddedBy string `json:"added_by,omitempty"` // who added it; empty in an anonymous poll
}

// Participation is how many of a channel's members voted: "7 van 11
// kanaalleden hebben gestemd". Members comes from the platform (see
// Roster), the bot and other bots not counted as far as it tells.
type Participation struct {
	Voters  int `json:"voters"`
	Members int `json:"members"`
}

// ShiftView is how views moved from the poll a repeat repeats (From) to
// the repeat: per option and per cluster the share before and after, in
// percent, and the tensions that appeared and disappeared. A share is
// null where a poll lacks the option or cluster. See poll.Shift.
type ShiftView struct {
	From        string        `json:"from"`
	Voters      [2]int        `json:"voters"` // before, after
	Options     []ShareView   `json:"options"`
	Clusters    []ShareView   `json:"clusters,omitempty"`
	Appeared    []TensionView `json:"appeared,omitempty"`
	Disappeared []TensionView `json:"disappeared,omitempty"`
}

// ShareView is one option's or cluster's share before and after.
type ShareView struct {
	Key    string `json:"key,omitempty"` // the option's key; empty for a cluster
	Name   string `json:"name"`
	Before *int   `json:"before"`
	After  *int   `json:"after"`
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
	v.Open, v.Repeats, v.RepeatedBy = p.Open && !v.Closed, p.Repeats, p.RepeatedBy
	if at := p.RemindAt(); !at.IsZero() && !p.Reminded && !v.Closed {
		v.RemindAt = at.In(b.cfg.Location)
	}
	for _, o := range p.Options {
		ov := OptionView{Key: o.Key, Label: Neutralize(o.Label), Cluster: o.Cluster, OnMap: o.OnMap, Added: o.Added}
		if o.AddedBy != "" { // Neutralize costs a regexp pass even on nothing; votes build views
			ov.AddedBy = Neutralize(o.AddedBy)
		}
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

// pollView is view with what only the platform and the store know: how
// many people are in the poll's channel (its participation), and with the
// result, for a repeat, how views moved since the poll it repeats. It is
// the view of a poll's own message and of its result; a vote's reply
// needs neither and uses view.
func (b *Bot) pollView(ctx context.Context, p poll.Poll, t poll.Tally, withResult bool) *PollView {
	v := b.view(p, t, withResult)
	src := &v.parts
	if n, ok := b.memberCount(ctx, p.Where); ok && n >= t.Voters {
		// More voters than members: people voted and left; the count
		// would say something untrue, so it is left out.
		src.members, src.haveCount = n, true
		v.Participation = &Participation{Voters: t.Voters, Members: n}
	}
	if src.r == nil || p.Repeats == "" {
		return v
	}
	first, ft, err := b.polls.Get(ctx, p.Repeats)
	if err != nil || !first.CountsShown(src.now) {
		return v // gone (deleted after a year), or its counts still hidden
	}
	sh := b.polls.Shift(first, ft, p, t)
	src.shift = &sh
	v.Shift = shiftView(sh, b)
	return v
}

// shiftView is sh as data for adapters and `ask --json`.
func shiftView(sh poll.Shift, b *Bot) *ShiftView {
	sv := &ShiftView{From: sh.Before, Voters: sh.Voters}
	shares := func(in []poll.Share) []ShareView {
		var out []ShareView
		for _, s := range in {
			x := ShareView{Key: s.Key, Name: Neutralize(s.Name)}
			if s.In[0] {
				x.Before = &s.Before
			}
			if s.In[1] {
				x.After = &s.After
			}
			out = append(out, x)
		}
		return out
	}
	sv.Options, sv.Clusters = shares(sh.Options), shares(sh.Clusters)
	for _, x := range sh.Appeared {
		sv.Appeared = append(sv.Appeared, TensionView{A: x.A.Key, B: x.B.Key, Text: Neutralize(b.tensionText(x))})
	}
	for _, x := range sh.Disappeared {
		sv.Disappeared = append(sv.Disappeared, TensionView{A: x.A.Key, B: x.B.Key, Text: Neutralize(b.tensionText(x))})
	}
	return sv
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
