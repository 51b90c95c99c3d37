"""The example's Python core: an "echo completion" service with the request shape of a text model
({"prompt", "temperature", "maxTokens"}), standard library only, as a team's existing core Lambda
would be. It does honest, deterministic work with every parameter, so a reader can check an answer
by hand:

- the completion is the prompt's own words echoed back, at most `maxTokens` of them;
- `temperature` 0 keeps the prompt's order; above 0 a generator seeded by the prompt and the
  temperature shuffles that share of the words, so the same request always gets the same answer;
- `stats` counts the prompt's words, sentences and most frequent words.

Two Lambda handlers live here (the config names each by its handler string):
- `complete` serves `POST /completions` in pass-through mode: the event IS the validated body;
  the caller's identity never reaches it.
- `get_prompt` serves `GET /prompts/{id}` in enriched mode: the event is
  {input, pathParameters, identity, requestMeta}.
- `digest` serves `POST /digests`, a job route (enriched): it thinks `seconds` first, as a slow model
  would, so it can run past the 30 s an HTTP API waits; its answer becomes the job's result.

Errors are exceptions whose class name is Lambda's `errorType`, which the edge maps by name:
ValidationError → 400, NotFoundError → 404, UnprocessableError → 422; any other → 502.
"""

import hashlib
import random
import re
import time
from collections import Counter

# A model's context window: prompt tokens and requested completion tokens together must fit.
CONTEXT_TOKENS = 8192
TOKEN = re.compile(r"\w+|[^\w\s]")
WORD = re.compile(r"\w+")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
TOP_WORDS = 5

# Saved prompts the GET route serves; each is a valid body for POST /completions.
PROMPTS = {
    "haiku": {
        "title": "A haiku to echo",
        "prompt": "An old silent pond. A frog jumps into the pond. Splash! Silence again.",
        "temperature": 0,
        "maxTokens": 12,
    },
    "shuffle": {
        "title": "The same words, shuffled",
        "prompt": "The quick brown fox jumps over the lazy dog.",
        "temperature": 1.2,
        "maxTokens": 64,
    },
}


class ValidationError(Exception):
    """The request is well-formed but this core cannot use it (the edge answers 400)."""


class NotFoundError(Exception):
    """No such thing (the edge answers 404)."""


class UnprocessableError(Exception):
    """The request is valid but cannot be served as asked (the edge answers 422)."""


def tokenize(text):
    return TOKEN.findall(text)


def prompt_stats(prompt):
    words = [w.lower() for w in WORD.findall(prompt)]
    ranked = Counter(words).most_common()
    # Counter keeps first-seen order among equal counts, so ties read in the prompt's order.
    return {
        "characters": len(prompt),
        "words": len(words),
        "distinctWords": len(ranked),
        "sentences": max(1, len(SENTENCE_END.findall(prompt))) if words else 0,
        "topWords": [{"word": w, "count": c} for w, c in ranked[:TOP_WORDS]],
    }


def echo(tokens, temperature, max_tokens):
    """The first `max_tokens` tokens, with a `temperature / 2` share of them shuffled, seeded."""
    chosen = tokens[:max_tokens]
    if temperature == 0 or len(chosen) < 2:
        return chosen
    seed = hashlib.sha256(f"{' '.join(tokens)}|{temperature!r}".encode("utf-8")).digest()
    generator = random.Random(seed)
    moved = sorted(generator.sample(range(len(chosen)), max(2, round(len(chosen) * temperature / 2))))
    shuffled = [chosen[i] for i in moved]
    generator.shuffle(shuffled)
    result = list(chosen)
    for index, token in zip(moved, shuffled):
        result[index] = token
    return result


def join_tokens(tokens):
    return re.sub(r"\s+([^\w\s])", r"\1", " ".join(tokens))


def complete(event, context):
    """POST /completions (pass-through): the event is the body the edge validated."""
    prompt = event["prompt"]
    temperature = event["temperature"]
    max_tokens = event["maxTokens"]
    tokens = tokenize(prompt)
    if not WORD.search(prompt):
        raise ValidationError("prompt has no words to complete; write at least one word")
    if len(tokens) + max_tokens > CONTEXT_TOKENS:
        raise UnprocessableError(
            f"prompt is {len(tokens)} tokens; with maxTokens {max_tokens} that exceeds the "
            f"{CONTEXT_TOKENS}-token context window"
        )
    completion = echo(tokens, temperature, max_tokens)
    print(f"completed {len(completion)} of {max_tokens} tokens at temperature {temperature}")
    return {
        "completion": join_tokens(completion),
        "finishReason": "length" if len(tokens) > max_tokens else "stop",
        "usage": {
            "promptTokens": len(tokens),
            "completionTokens": len(completion),
            "totalTokens": len(tokens) + len(completion),
        },
        "stats": prompt_stats(prompt),
        "requestId": context.aws_request_id,
    }


def get_prompt(event, context):
    """GET /prompts/{id} (enriched): the path parameter and the caller's identity arrive here."""
    prompt_id = event["pathParameters"]["id"]
    saved = PROMPTS.get(prompt_id)
    if saved is None:
        raise NotFoundError(f"no saved prompt {prompt_id!r}; saved prompts: {', '.join(sorted(PROMPTS))}")
    identity = event["identity"]
    return {
        "id": prompt_id,
        **saved,
        "requestedBy": {"username": identity["username"], "email": identity["email"], "groups": identity["groups"]},
        "routeKey": event["requestMeta"]["routeKey"],
    }


def digest(event, context):
    """POST /digests (a job route, enriched): a completion after `seconds` of thought."""
    body = event["input"]
    seconds = body["seconds"]
    print(f"thinking for {seconds} s")
    time.sleep(seconds)
    request = {key: body[key] for key in ("prompt", "temperature", "maxTokens")}
    return {**complete(request, context), "thoughtSeconds": seconds, "requestedBy": event["identity"]["username"]}
