// The chat page: the protocol of /api/turn, with the token kept in this browser only.
"use strict";
const $ = (id) => document.getElementById(id);
let token = localStorage.getItem("nlpdrill-token") || "";

async function turn(request) {
  const reply = await fetch("/api/turn?render=html", {
    method: "POST",
    headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  const body = await reply.json();
  if (reply.status === 401) { logout("That token was not accepted."); return null; }
  if (!body.ok) { show({ kind: "info", html: "<p></p>", text: body.error }, "tutor"); return null; }
  return body;
}

function show(message, who) {
  const div = document.createElement("div");
  div.className = `msg ${who} ${message.kind || ""}`;
  if (message.html) { div.innerHTML = message.html; } else { div.textContent = message.text; }
  $("transcript").appendChild(div);
  div.scrollIntoView({ block: "end" });
}

async function send(text) {
  show({ text }, "student");
  const reply = await turn({ op: "say", text });
  if (reply) { reply.messages.forEach((m) => show(m, "tutor")); refresh(); }
}

async function refresh() {
  const [parts, state] = await Promise.all([turn({ op: "parts" }), turn({ op: "state" })]);
  if (!parts || !state) return;
  const done = new Map(state.progress.map((p) => [p.part, p.attempts]));
  $("part-list").replaceChildren(...parts.parts.map((p) => {
    const li = document.createElement("li");
    const a = document.createElement("a");
    a.href = "#" + p.part;
    a.textContent = `${p.problem} — ${p.part.split(".").slice(1).join(".")}`;
    if (done.get(p.part)) a.className = "done";
    a.addEventListener("click", (e) => { e.preventDefault(); start(p.part); });
    li.appendChild(a);
    return li;
  }));
}

async function start(part) {
  const reply = await turn(part ? { op: "start", part } : { op: "start" });
  if (reply) { reply.messages.forEach((m) => show(m, "tutor")); refresh(); $("say").focus(); }
}

function login(value) {
  token = value.trim();
  localStorage.setItem("nlpdrill-token", token);
  $("login").hidden = true; $("tutor").hidden = false; $("logout").hidden = false;
  const wanted = new URLSearchParams(location.search).get("part");
  start(wanted);
}

function logout(reason) {
  localStorage.removeItem("nlpdrill-token"); token = "";
  $("login").hidden = false; $("tutor").hidden = true; $("logout").hidden = true;
  if (reason) { $("login-error").textContent = reason; $("login-error").hidden = false; }
}

$("login-form").addEventListener("submit", (e) => { e.preventDefault(); login($("token").value); });
$("logout").addEventListener("click", () => logout());
$("say-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const text = $("say").value.trim();
  if (text) { $("say").value = ""; send(text); }
});
$("say").addEventListener("keydown", (e) => {
  if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("say-form").requestSubmit(); }
});
document.querySelectorAll("#actions button").forEach((b) =>
  b.addEventListener("click", () => { send(b.dataset.say); $("say").focus(); }));

// A token in the address's fragment (#token=…) logs in without typing it: a link a TA
// can hand out. The fragment never reaches the server or its log.
const fragment = new URLSearchParams(location.hash.slice(1)).get("token");
if (fragment) { history.replaceState(null, "", location.pathname + location.search); login(fragment); }
else if (token) { login(token); }
