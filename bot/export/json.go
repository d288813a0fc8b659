package export

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// JSONPoll is the result of a poll as data, the JSON export: the same
// facts as the CSV, for programs. Its names are English and stable;
// nothing in it is in the bot's language except what people typed and
// the book's names.
type JSONPoll struct {
	ID        string          `json:"id"`
	Kind      poll.Kind       `json:"kind"`
	Question  string          `json:"question"`
	Anonymous bool            `json:"anonymous"`
	Hidden    bool            `json:"hidden"`
	Max       int             `json:"max"`
	Creator   string          `json:"creator,omitempty"` // the creator's name; never in an anonymous poll
	Created   time.Time       `json:"created"`
	ClosesAt  time.Time       `json:"closes_at,omitzero"`
	Closed    bool            `json:"closed"`
	ClosedAt  time.Time       `json:"closed_at,omitzero"`
	Voters    int             `json:"voters"`
	Members   int             `json:"channel_members,omitempty"` // as the platform counts them; absent when unknown
	Options   []JSONOption    `json:"options"`
	Clusters  []poll.Count    `json:"clusters,omitempty"`
	Strong    []string        `json:"strong,omitempty"` // option keys
	Tensions  [][2]string     `json:"tensions,omitempty"`
	Questions []poll.FollowUp `json:"questions,omitempty"`
	Citation  string          `json:"citation,omitempty"`
}

// JSONOption is one option with its count. Percent is of the voters, with
// one decimal, as the CSV's "share of the voters".
type JSONOption struct {
	Key     string  `json:"key"`
	Label   string  `json:"label"`
	Cluster string  `json:"cluster,omitempty"`
	OnMap   bool    `json:"on_map"`
	Votes   int     `json:"votes"`
	Percent float64 `json:"percent_of_voters"`
}

// JSON is the result of a poll as indented JSON (JSONPoll). The poll's
// counts must be shown (poll.ErrCountsHidden otherwise).
func JSON(in Input) ([]byte, error) {
	if !in.shown() {
		return nil, poll.ErrCountsHidden
	}
	p := in.Poll
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	at := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc).Truncate(time.Second)
	}
	out := JSONPoll{
		ID: p.ID, Kind: p.Kind, Question: p.Question, Anonymous: p.Anon, Hidden: p.Hidden, Max: p.Max,
		Created: at(p.Created), ClosesAt: at(p.ClosesAt), Closed: in.closed(), ClosedAt: at(in.closedAt()),
		Voters: in.Tally.Voters, Members: in.Members, Clusters: in.Result.Clusters, Questions: in.Result.Questions,
	}
	if !p.Anon {
		out.Creator = p.Name
	}
	for _, o := range p.Options {
		n := in.Tally.Votes[o.Key]
		pct := 0.0
		if in.Tally.Voters > 0 {
			pct = float64((1000*n+in.Tally.Voters/2)/in.Tally.Voters) / 10
		}
		out.Options = append(out.Options, JSONOption{Key: o.Key, Label: o.Label, Cluster: o.Cluster, OnMap: o.OnMap, Votes: n, Percent: pct})
	}
	for _, o := range in.Result.Strong {
		out.Strong = append(out.Strong, o.Key)
	}
	for _, x := range in.Result.Tensions {
		out.Tensions = append(out.Tensions, [2]string{x.A.Key, x.B.Key})
	}
	if len(out.Questions) > 0 && in.KB != nil {
		out.Citation = in.KB.Citation()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
