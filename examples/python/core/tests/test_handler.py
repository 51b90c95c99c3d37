"""Unit tests of the example core, run as the team would run them: `python3 -m unittest` in core/
(the repository's vitest run spawns exactly that). Standard library only."""

import unittest

import handler


class Context:
    aws_request_id = "req-1"


def body(**overrides):
    return {"prompt": "The quick brown fox jumps over the lazy dog.", "temperature": 0, "maxTokens": 64, **overrides}


class CompleteTest(unittest.TestCase):
    def test_temperature_zero_echoes_the_prompt_in_order(self):
        answer = handler.complete(body(), Context())
        self.assertEqual(answer["completion"], "The quick brown fox jumps over the lazy dog.")
        self.assertEqual(answer["finishReason"], "stop")
        self.assertEqual(answer["usage"], {"promptTokens": 10, "completionTokens": 10, "totalTokens": 20})
        self.assertEqual(answer["requestId"], "req-1")

    def test_max_tokens_cuts_the_completion_and_says_so(self):
        answer = handler.complete(body(maxTokens=4), Context())
        self.assertEqual(answer["completion"], "The quick brown fox")
        self.assertEqual(answer["finishReason"], "length")
        self.assertEqual(answer["usage"]["completionTokens"], 4)

    def test_temperature_shuffles_the_same_words_the_same_way_every_time(self):
        first = handler.complete(body(temperature=1.5), Context())["completion"]
        second = handler.complete(body(temperature=1.5), Context())["completion"]
        self.assertEqual(first, second)
        self.assertNotEqual(first, "The quick brown fox jumps over the lazy dog.")
        self.assertEqual(sorted(handler.tokenize(first)), sorted(handler.tokenize(body()["prompt"])))

    def test_a_different_temperature_gives_a_different_order(self):
        low = handler.complete(body(temperature=0.8), Context())["completion"]
        high = handler.complete(body(temperature=2), Context())["completion"]
        self.assertNotEqual(low, high)

    def test_stats_count_words_sentences_and_top_words(self):
        stats = handler.complete(body(prompt="A frog. A pond! The frog jumps?"), Context())["stats"]
        self.assertEqual(stats["words"], 7)
        self.assertEqual(stats["distinctWords"], 5)
        self.assertEqual(stats["sentences"], 3)
        self.assertEqual(stats["topWords"][:2], [{"word": "a", "count": 2}, {"word": "frog", "count": 2}])

    def test_a_prompt_without_words_is_a_validation_error(self):
        with self.assertRaisesRegex(handler.ValidationError, "no words"):
            handler.complete(body(prompt="?!"), Context())

    def test_a_prompt_past_the_context_window_is_unprocessable(self):
        with self.assertRaisesRegex(handler.UnprocessableError, "8192-token context window"):
            handler.complete(body(prompt="word " * 5000, maxTokens=4096), Context())

    def test_every_saved_prompt_is_a_valid_completion_request(self):
        for saved in handler.PROMPTS.values():
            request = {key: saved[key] for key in ("prompt", "temperature", "maxTokens")}
            self.assertIn("completion", handler.complete(request, Context()))


class GetPromptTest(unittest.TestCase):
    def event(self, prompt_id):
        return {
            "input": {},
            "pathParameters": {"id": prompt_id},
            "identity": {"sub": "u-1", "email": "jane@example.com", "username": "jane", "groups": ["users"]},
            "requestMeta": {"requestId": "r", "routeKey": "GET /prompts/{id}"},
        }

    def test_answers_the_saved_prompt_with_the_caller(self):
        answer = handler.get_prompt(self.event("haiku"), Context())
        self.assertEqual(answer["id"], "haiku")
        self.assertEqual(answer["maxTokens"], 12)
        self.assertEqual(answer["requestedBy"], {"username": "jane", "email": "jane@example.com", "groups": ["users"]})
        self.assertEqual(answer["routeKey"], "GET /prompts/{id}")

    def test_an_unknown_id_is_not_found(self):
        with self.assertRaisesRegex(handler.NotFoundError, "no saved prompt 'nope'"):
            handler.get_prompt(self.event("nope"), Context())




class DigestTest(unittest.TestCase):
    def test_answers_the_completion_after_thinking_with_the_caller_named(self):
        event = {"input": body(maxTokens=4, seconds=0.05), "identity": {"username": "demo"}}
        answer = handler.digest(event, Context())
        self.assertEqual(answer["completion"], "The quick brown fox")
        self.assertEqual(answer["thoughtSeconds"], 0.05)
        self.assertEqual(answer["requestedBy"], "demo")

    def test_refuses_a_prompt_without_words_as_complete_does(self):
        with self.assertRaises(handler.ValidationError):
            handler.digest({"input": body(prompt="!!!", seconds=0), "identity": {"username": "demo"}}, Context())


if __name__ == "__main__":
    unittest.main()
