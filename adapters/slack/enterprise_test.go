package slack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/waardenbot/waardenbot/internal/testkit"
)

// An org-wide (Enterprise Grid) installation: the workspace T9TK3CUKW of the
// organisation E0KH5SU7C, channel CBR2V3XEX.
const (
	orgTeam    = "T9TK3CUKW"
	orgChannel = "CBR2V3XEX"
)

// orgClick is Slack's documented block_actions example as an org-wide
// installation sends it: "team" is null, the team is in user.team_id. Its
// button votes for orde in poll id.
func orgClick(t *testing.T, id string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/block_actions_org_wide.json")
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(data), "POLL", id))
}

// orgCommand is a slash command of an org-wide installation: team_id is the
// workspace, with enterprise_id and is_enterprise_install beside it.
func orgCommand(command, text string) url.Values {
	return url.Values{
		"token": {"gIkuvaNzQIHg97ATvDxqgjtO"}, "team_id": {orgTeam}, "team_domain": {"voorbeeld"},
		"enterprise_id": {"E0KH5SU7C"}, "enterprise_name": {"Gemeente Voorbeeld"}, "is_enterprise_install": {"true"},
		"channel_id": {orgChannel}, "channel_name": {"review-updates"}, "user_id": {"U2147483697"}, "user_name": {"anna"},
		"command": {command}, "text": {text}, "api_app_id": {"AABA1ABCD"},
		"response_url": {"https://hooks.slack.com/commands/1234/5678"}, "trigger_id": {"13345224609.738474920.8088930838d88f008e0"},
	}
}

// orgEvent is an app_mention of an org-wide installation: the event's
// team_id is the workspace; its authorization names the organisation, not
// a team.
func orgEvent(text string) string {
	return `{"token":"XXYYZZ","team_id":"` + orgTeam + `","enterprise_id":"E0KH5SU7C","api_app_id":"AABA1ABCD",` +
		`"event":{"type":"app_mention","user":"UB1OT0ZZZ","text":` + quoteJSON(text) + `,"ts":"1515449522.000016","channel":"` + orgChannel + `","event_ts":"1515449522000016"},` +
		`"type":"event_callback","event_id":"Ev0LAN670R","event_time":1515449522,` +
		`"authorizations":[{"enterprise_id":"E0KH5SU7C","team_id":null,"user_id":"UBOT","is_bot":true,"is_enterprise_install":true}],` +
		`"is_ext_shared_channel":false,"event_context":"4-eyJldCI6ImFwcF9tZW50aW9uIn0"}`
}

func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestOrgWideInstallationVotesByCommandClickAndMention(t *testing.T) {
	api := newFakeSlack(t)
	a, b, _ := newReplayAdapter(t, api)
	h := a.Handler()
	body := orgCommand("/casus", "Camera's op het plein? | privacy, orde").Encode()
	if rec := post(t, h, "/slack/commands", body, sign(testSecret, time.Now(), body), form); rec.Code != http.StatusOK {
		t.Fatalf("casus: %d %s", rec.Code, rec.Body)
	}
	id := pollIDFrom(t, lastBlocks(t, api.sent("chat.postMessage")))
	if p := b.PollMessage(context.Background(), id).Poll; p == nil || p.Where.Team != orgTeam {
		t.Fatalf("poll not kept for the workspace %s: %+v", orgTeam, p)
	}

	body = url.Values{"payload": {string(orgClick(t, id))}}.Encode()
	if rec := post(t, h, "/slack/interactions", body, sign(testSecret, time.Now(), body), form); rec.Code != http.StatusOK {
		t.Fatalf("click: %d", rec.Code)
	}
	testkit.WaitFor(t, "the click's vote", func() bool { return votesFor(b, id)["orde"] == 1 })
	if eph := api.sent("chat.postEphemeral"); len(eph) != 0 {
		t.Errorf("the click was refused: %v", eph[0].Form.Get("text"))
	}

	ev := orgEvent("<@UBOT> stem " + id + " privacy")
	if rec := post(t, h, "/slack/events", ev, sign(testSecret, time.Now(), ev), "application/json"); rec.Code != http.StatusOK {
		t.Fatalf("mention: %d", rec.Code)
	}
	testkit.WaitFor(t, "the mention's vote", func() bool { return votesFor(b, id)["privacy"] == 1 })
}

func TestOrgWideClickOverSocketModeCounts(t *testing.T) {
	srv, _, b, _ := socketAdapter(t)
	env := map[string]any{"envelope_id": "env-1", "type": "slash_commands", "accepts_response_payload": true, "payload": map[string]string{}}
	for k, v := range orgCommand("/casus", "Camera's op het plein? | privacy, orde") {
		env["payload"].(map[string]string)[k] = v[0]
	}
	srv.send(t, env)
	srv.waitAck(t, "env-1")
	testkit.WaitFor(t, "the poll message", func() bool { return len(srv.sent("chat.postMessage")) > 0 })
	id := pollIDFrom(t, lastBlocks(t, srv.sent("chat.postMessage")))

	srv.send(t, map[string]any{"envelope_id": "env-2", "type": "interactive", "payload": json.RawMessage(orgClick(t, id))})
	srv.waitAck(t, "env-2")
	testkit.WaitFor(t, "the click's vote", func() bool { return votesFor(b, id)["orde"] == 1 })
	if eph := srv.sent("chat.postEphemeral"); len(eph) != 0 {
		t.Errorf("the click was refused: %v", eph[0].Form.Get("text"))
	}
}
