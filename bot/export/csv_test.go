package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/bot/poll"
)

// parse reads a CSV file as Excel with Dutch settings does: a UTF-8 BOM,
// semicolons, CRLF.
func parse(t *testing.T, data []byte) [][]string {
	t.Helper()
	rest, ok := bytes.CutPrefix(data, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Fatalf("no UTF-8 byte-order mark: %q", data[:min(len(data), 10)])
	}
	if bytes.Count(rest, []byte("\r\n")) != bytes.Count(rest, []byte("\n")) {
		t.Error("a line ends without CRLF")
	}
	r := csv.NewReader(bytes.NewReader(rest))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not a valid CSV: %v\n%s", err, rest)
	}
	return rows
}

// column returns the cell of row under the header with key.
func column(t *testing.T, head, row []string, key string) string {
	t.Helper()
	for i, h := range head {
		if h == key {
			return row[i]
		}
	}
	t.Fatalf("no column %s in %v", key, head)
	return ""
}

func TestCSVHasARowPerOptionThenPerClusterWithDecimalCommas(t *testing.T) {
	in := values(t, "privacy, gelijkheid, autonomie, toegankelijkheid", []int{2, 2, 1, 1}, 3)
	in.Members = 12
	rows := parse(t, CSV(in, words{}))
	head := rows[0]
	if len(head) != len(columns) {
		t.Fatalf("header %v", head)
	}
	var kinds []string
	for _, row := range rows[1:] {
		if len(row) != len(head) {
			t.Fatalf("a row of %d cells under %d columns: %v", len(row), len(head), row)
		}
		kinds = append(kinds, column(t, head, row, "export.col.row")+" "+column(t, head, row, "export.col.key")+column(t, head, row, "export.col.cluster"))
	}
	want := "export.row.option privacyVrijheid|export.row.option autonomieVrijheid|export.row.option gelijkheidRechtvaardigheid|export.row.option toegankelijkheid|export.row.cluster Vrijheid|export.row.cluster Rechtvaardigheid"
	if got := strings.Join(kinds, "|"); got != want {
		t.Errorf("rows\n%s\nwant\n%s", got, want)
	}
	privacy, vrijheid := rows[1], rows[5]
	for _, tc := range []struct {
		row       []string
		key, want string
	}{
		{privacy, "export.col.poll", "ab3k"},
		{privacy, "export.col.creator", "Anna"},
		{privacy, "export.col.started", "2026-11-23 09:00"},
		{privacy, "export.col.closed", "2026-11-23 10:00"},
		{privacy, "export.col.deadline", ""},
		{privacy, "export.col.voters", "3"},
		{privacy, "export.col.members", "12"},
		{privacy, "export.col.max", "2"},
		{privacy, "export.col.votes", "2"},
		{privacy, "export.col.share_voters", "66,7"},
		{privacy, "export.col.share_votes", "33,3"},
		{privacy, "export.col.on_map", "export.yes"},
		{rows[4], "export.col.on_map", "export.no"},
		{vrijheid, "export.col.votes", "3"},
		{vrijheid, "export.col.share_voters", "100,0"},
		{vrijheid, "export.col.share_votes", "50,0"},
	} {
		if got := column(t, head, tc.row, tc.key); got != tc.want {
			t.Errorf("%s of %s = %q, want %q", tc.key, tc.row[13], got, tc.want)
		}
	}
}

func TestCSVTextThatStartsLikeAFormulaStaysText(t *testing.T) {
	in := values(t, "privacy, orde", []int{1, 0}, 1)
	in.Poll.Question = "=HYPERLINK(\"http://x\";\"klik\")"
	in.Poll.Name = "+31 6 1234"
	rows := parse(t, CSV(in, words{}))
	if q := column(t, rows[0], rows[1], "export.col.question"); q != "'"+in.Poll.Question {
		t.Errorf("casus cell %q", q)
	}
	if c := column(t, rows[0], rows[1], "export.col.creator"); c != "'+31 6 1234" {
		t.Errorf("creator cell %q", c)
	}
}

func TestChannelCSVLeavesTheCountsOfAHiddenOpenPollEmpty(t *testing.T) {
	closed := values(t, "privacy, orde", []int{2, 1}, 3)
	hidden := values(t, "privacy, orde", []int{4, 4}, 8)
	hidden.Poll.ID, hidden.Poll.Hidden, hidden.Poll.Closed = "cd5m", true, false
	hidden.Poll.ClosesAt = hidden.Now.Add(time.Hour)
	rows := parse(t, ChannelCSV([]Input{closed, hidden}, words{}))
	if len(rows) != 1+2+2 {
		t.Fatalf("%d rows, want a header and one per option of each poll", len(rows))
	}
	for _, row := range rows[3:] {
		for _, key := range []string{"export.col.votes", "export.col.share_voters", "export.col.share_votes", "export.col.closed"} {
			if got := column(t, rows[0], row, key); got != "" {
				t.Errorf("hidden poll: %s = %q", key, got)
			}
		}
		if got := column(t, rows[0], row, "export.col.deadline"); got != "2026-11-23 12:00" {
			t.Errorf("deadline %q", got)
		}
	}
	if got := column(t, rows[0], rows[1], "export.col.votes"); got != "2" {
		t.Errorf("closed poll votes %q", got)
	}
}

func TestVotesCSVHasAColumnPerOptionThatAddsUpToItsCount(t *testing.T) {
	in := values(t, "privacy, orde, gelijkheid", []int{2, 1, 1}, 2)
	casts := []poll.Cast{
		{Voter: "U1", Vote: poll.Vote{Choices: []string{"privacy", "orde"}, Name: "anna", At: in.Poll.Created}},
		{Voter: "U2", Vote: poll.Vote{Choices: []string{"privacy", "gelijkheid"}, Name: "=bob", At: in.Poll.Created}},
	}
	data, err := VotesCSV(in, casts, words{})
	if err != nil {
		t.Fatal(err)
	}
	rows := parse(t, data)
	if got := strings.Join(rows[0][4:], ","); got != "Privacy,Orde,Gelijkheid" {
		t.Errorf("option columns %s", got)
	}
	if got := strings.Join(rows[2], ","); got != "ab3k,U2,'=bob,2026-11-23 09:00,1,0,1" {
		t.Errorf("bob's row %s", got)
	}
	for i, o := range in.Poll.Options {
		sum := 0
		for _, row := range rows[1:] {
			sum += int(row[4+i][0] - '0')
		}
		if sum != in.Tally.Votes[o.Key] {
			t.Errorf("%s: the column adds up to %d, the count is %d", o.Key, sum, in.Tally.Votes[o.Key])
		}
	}

	in.Poll.Anon = true
	if _, err := VotesCSV(in, casts, words{}); !errors.Is(err, poll.ErrAnonymous) {
		t.Errorf("an anonymous poll: %v", err)
	}
}
