// Talking to wuyou's public GraphQL API: operations over HTTP POST, and subscriptions over
// one WebSocket in the graphql-transport-ws protocol, reconnected with backoff.

/** The endpoint, relative to this page, so the console also works behind a path prefix. */
export const ENDPOINT = new URL("../graphql", document.baseURI);

/** A top-level GraphQL error (not signed in, not allowed, invalid request) or a network
 * failure. `code` is the error's `extensions.code`, or NETWORK_ERROR. */
export class ApiError extends Error {
  constructor(message, code, requestId) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.requestId = requestId;
  }

  get unauthenticated() {
    return this.code === "UNAUTHENTICATED";
  }
}

function firstError(errors, requestId) {
  const [error] = errors;
  const code = error.extensions?.code ?? "GRAPHQL_ERROR";
  return new ApiError(error.message, code, requestId);
}

const REQUEST_TIMEOUT_MS = 20_000;

/** Run a query or mutation; resolves to its `data`, rejects with an ApiError. */
export async function request(query, variables = {}, token = null) {
  const headers = {
    "Content-Type": "application/json",
    Accept: "application/graphql-response+json, application/json;q=0.9",
  };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(ENDPOINT, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables }),
      credentials: "omit",
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    if (error.name === "TimeoutError") throw new ApiError("服务器响应超时，请重试。", "NETWORK_ERROR");
    throw new ApiError("无法连接服务器，请检查网络后重试。", "NETWORK_ERROR");
  }
  const requestId = response.headers.get("X-Request-ID") ?? undefined;
  let body;
  try {
    body = await response.json();
  } catch {
    throw new ApiError(`服务器返回了无法识别的应答（HTTP ${response.status}）。`, "BAD_RESPONSE", requestId);
  }
  if (body.errors?.length) throw firstError(body.errors, requestId);
  if (!response.ok || !body.data) {
    throw new ApiError(`服务器出错（HTTP ${response.status}）。`, "BAD_RESPONSE", requestId);
  }
  return body.data;
}

const PROTOCOL = "graphql-transport-ws";
/** Close codes after which reconnecting with the same token cannot help. */
const AUTH_CLOSE_CODES = new Set([4401, 4403]);
const ACK_TIMEOUT_MS = 10_000;
const PING_EVERY_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 30_000;

/** A wait before retry number `attempt` (from 0): exponential, capped, with jitter. */
function backoff(attempt) {
  const delay = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
  return Math.round(delay / 2 + (Math.random() * delay) / 2);
}

/**
 * One graphql-transport-ws connection that carries every subscription of the page.
 *
 * It reconnects by itself with exponential backoff (with jitter), re-subscribes what is
 * still wanted, and calls `onConnected` after each acknowledged (re)connection, which is
 * where the page re-reads by query what it may have missed while it was away. A single
 * subscription that fails is made again after its own backoff (see `subscribe`).
 */
export class LiveConnection {
  constructor({ token, onState, onConnected, onAuthFailure }) {
    this.token = token;
    this.onState = onState;
    this.onConnected = onConnected;
    this.onAuthFailure = onAuthFailure;
    this.subscriptions = new Set(); // wanted: { query, variables, handlers, id, failures }
    this.operations = new Map(); // operation id on this socket → its subscription
    this.nextId = 1;
    this.attempt = 0;
    this.socket = null;
    this.acknowledged = false;
    this.closed = false;
    this.timers = new Set();
    this.online = () => this.reconnectNow();
    window.addEventListener("online", this.online);
    this.connect();
  }

  /** Subscribe; `handlers` has next(data), error(ApiError), complete(), and optionally
   * retry(ApiError) and resumed(). After an error (other than an authentication failure,
   * which goes to `onAuthFailure`) the subscription is made again after a backoff
   * (capped exponential with jitter, reset by the next message), unless `retry(error)`
   * says no, and `resumed()` is called once it is sent again: re-read there by query what
   * it missed. Returns an unsubscribe function. */
  subscribe(query, variables, handlers) {
    const subscription = { query, variables, handlers, id: null, failures: 0 };
    this.subscriptions.add(subscription);
    if (this.acknowledged) this.sendSubscribe(subscription);
    return () => {
      if (!this.subscriptions.delete(subscription)) return;
      this.stop(subscription);
    };
  }

  /** Close for good (signing out). */
  close() {
    this.closed = true;
    window.removeEventListener("online", this.online);
    this.clearTimers();
    this.subscriptions.clear();
    this.forgetOperations();
    if (this.socket) this.socket.close(1000, "signed out");
    this.socket = null;
  }

  connect() {
    if (this.closed) return;
    const url = new URL(ENDPOINT);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    this.acknowledged = false;
    this.onState({ state: "connecting", attempt: this.attempt });
    const socket = new WebSocket(url, PROTOCOL);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.send({ type: "connection_init", payload: { Authorization: `Bearer ${this.token}` } });
      this.later(ACK_TIMEOUT_MS, () => this.drop(socket, "no acknowledgement"));
    });
    socket.addEventListener("message", (event) => this.receive(socket, event.data));
    socket.addEventListener("close", (event) => this.closedBy(socket, event));
  }

  receive(socket, raw) {
    if (socket !== this.socket) return;
    let message;
    try {
      message = JSON.parse(raw);
    } catch {
      this.drop(socket, "unreadable message");
      return;
    }
    switch (message.type) {
      case "connection_ack":
        this.acknowledged = true;
        this.attempt = 0;
        this.clearTimers();
        this.keepAlive(socket);
        this.onState({ state: "connected" });
        for (const subscription of this.subscriptions) this.sendSubscribe(subscription);
        this.onConnected();
        break;
      case "ping":
        this.send({ type: "pong" });
        break;
      case "pong":
        this.awaitingPong = false;
        break;
      case "next":
        this.deliver(message.id, message.payload);
        break;
      case "error":
        this.fail(message.id, message.payload);
        break;
      case "complete": {
        const subscription = this.operations.get(message.id);
        if (!subscription) break;
        this.operations.delete(message.id);
        this.subscriptions.delete(subscription);
        subscription.handlers.complete?.();
        break;
      }
      default:
        break;
    }
  }

  deliver(id, payload) {
    const subscription = this.operations.get(id);
    if (!subscription) return;
    if (payload.errors?.length) {
      // The server may still run the operation: end it before it is made again.
      this.send({ id, type: "complete" });
      this.fail(id, payload.errors);
      return;
    }
    subscription.failures = 0;
    subscription.handlers.next(payload.data);
  }

  /** An operation ended in errors: made again after a backoff unless its handlers say no. */
  fail(id, errors) {
    const subscription = this.operations.get(id);
    if (!subscription) return;
    this.operations.delete(id);
    subscription.id = null;
    const error = firstError(errors);
    if (error.unauthenticated) {
      this.onAuthFailure(error);
      return;
    }
    const again = subscription.handlers.retry?.(error) ?? true;
    if (!again) this.subscriptions.delete(subscription);
    subscription.handlers.error?.(error);
    if (!again) return;
    // A timer lost with the connection does no harm: the next acknowledgement sends
    // every wanted subscription anyway.
    this.later(backoff(subscription.failures++), () => {
      if (!this.subscriptions.has(subscription) || !this.acknowledged || subscription.id !== null) return;
      this.sendSubscribe(subscription);
      subscription.handlers.resumed?.();
    });
  }

  closedBy(socket, event) {
    if (socket !== this.socket) return;
    this.socket = null;
    this.acknowledged = false;
    this.forgetOperations();
    this.clearTimers();
    if (this.closed) return;
    if (AUTH_CLOSE_CODES.has(event.code)) {
      this.onAuthFailure(new ApiError("登录已失效，请重新登录。", "UNAUTHENTICATED"));
      return;
    }
    const wait = backoff(this.attempt);
    this.attempt += 1;
    this.onState({ state: "waiting", attempt: this.attempt, retryAt: Date.now() + wait });
    this.later(wait, () => this.connect());
  }

  /** Reconnect at once (the network came back); a live connection is left alone. */
  reconnectNow() {
    if (this.closed || this.socket) return;
    this.clearTimers();
    this.connect();
  }

  keepAlive(socket) {
    this.awaitingPong = false;
    const beat = () => {
      if (this.awaitingPong) {
        this.drop(socket, "no pong");
        return;
      }
      this.awaitingPong = true;
      this.send({ type: "ping" });
      this.later(PONG_TIMEOUT_MS, () => this.awaitingPong && this.drop(socket, "no pong"));
      this.later(PING_EVERY_MS, beat);
    };
    this.later(PING_EVERY_MS, beat);
  }

  /** Give up on a connection that stopped answering, without waiting for its closing
   * handshake (a dead network never completes it), and schedule the retry. */
  drop(socket, reason) {
    if (socket !== this.socket) return;
    socket.close(4000, reason);
    this.closedBy(socket, { code: 4000 });
  }

  /** Send a subscription under a new operation id (an id is never used twice). */
  sendSubscribe(subscription) {
    const id = String(this.nextId++);
    subscription.id = id;
    this.operations.set(id, subscription);
    const { query, variables } = subscription;
    this.send({ id, type: "subscribe", payload: { query, variables } });
  }

  /** End a subscription's operation on the server, if it has one running. */
  stop(subscription) {
    const { id } = subscription;
    subscription.id = null;
    if (id === null || !this.operations.delete(id)) return;
    if (this.acknowledged) this.send({ id, type: "complete" });
  }

  /** The socket is gone, and with it every operation on it. */
  forgetOperations() {
    for (const subscription of this.operations.values()) subscription.id = null;
    this.operations.clear();
  }

  send(message) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  later(ms, work) {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    this.timers.add(timer);
  }

  clearTimers() {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
