package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack/socketmode"

	"github.com/waardenbot/waardenbot/bot"
	"github.com/waardenbot/waardenbot/internal/testkit"
)

// Over Socket Mode the modal's errors go back in the acknowledgement of
// the view_submission envelope.
func TestSocketModeFormErrorsAreInTheAcknowledgement(t *testing.T) {
	srv := newSocketServer(t)
	log := discardLog()
	a := New(Config{Mode: "socket", BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: srv.URL + "/api/"},
		bot.New(testKB, bot.Config{}, log, bot.WithStore(openStore(t))), log)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go a.serveSocket(ctx, socketmode.New(a.api, socketmode.OptionPingInterval(time.Hour)))
	testkit.WaitFor(t, "the connection", func() bool { return srv.connections() == 1 })

	env := slashEnvelope("env-1", "/casus", "")
	env["payload"].(map[string]string)["trigger_id"] = "13345224609.738474920.8088930838d88f008e0"
	srv.send(t, env)
	if ack := srv.waitAck(t, "env-1"); len(ack) != 0 && string(ack) != "null" {
		t.Errorf("the command's ack says %s; want nothing beside the modal", ack)
	}
	testkit.WaitFor(t, "views.open", func() bool { return len(srv.sent("views.open")) == 1 })
	_, view := openedView(t, srv.fakeSlack)

	payload := map[string]any{
		"type": "view_submission", "team": map[string]any{"id": "T1"}, "user": map[string]any{"id": "U1", "name": "piet", "team_id": "T1"},
		"trigger_id": "13345224609.738474920.8088930838d88f008e1",
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": view["callback_id"], "private_metadata": view["private_metadata"],
			"state": map[string]any{"values": map[string]any{"text": map[string]any{"text": map[string]any{"type": "plain_text_input", "value": "Kort?"}},
				"values": map[string]any{"values": map[string]any{"type": "multi_static_select", "selected_options": []any{map[string]any{"value": "Privacy"}}}}}}},
	}
	srv.send(t, map[string]any{"envelope_id": "env-2", "type": "interactive", "accepts_response_payload": true, "payload": payload})
	var ack struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal(srv.waitAck(t, "env-2"), &ack); err != nil {
		t.Fatal(err)
	}
	if ack.Action != "errors" || !strings.Contains(ack.Errors["values"], "Ik las 1 waarde") {
		t.Errorf("ack %+v", ack)
	}
}
