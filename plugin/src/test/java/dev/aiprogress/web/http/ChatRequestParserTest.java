package dev.aiprogress.web.http;

import dev.aiprogress.web.config.Config;
import dev.aiprogress.web.config.ConfigSources;

import dev.aiprogress.provider.ChatMessage;
import dev.aiprogress.provider.ContentPart;
import dev.aiprogress.provider.ToolSpec;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatRequestParserTest {

    static final Config CONFIG = Config.from(ConfigSources.ofParams(Map.of(
            "ai-progress.providers", "scripted,alt",
            "ai-progress.provider.scripted.models", "scripted-reasoner,fast",
            "ai-progress.provider.alt.dialect", "ollama",
            "ai-progress.provider.alt.models", "qwen3",
            "ai-progress.limits.max-messages", "3",
            "ai-progress.limits.max-content-chars", "10",
            "ai-progress.limits.max-tokens", "1000")));

    private final ChatRequestParser parser = new ChatRequestParser(CONFIG.http().limits(), CONFIG.providers());

    private static JsonObject json(String text) {
        return RequestBody.parseObject(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8), "request body");
    }

    private ChatCall chat(String body) {
        return parser.parseChat(json(body));
    }

    private FrappeError error(String body) {
        return assertThrows(FrappeError.class, () -> chat(body));
    }

    @Test
    void parseChat_fullBody_readsEveryField() {
        ChatCall call = chat("{'messages':[{'role':'system','content':'be brief'},{'role':'user','content':[{'type':'text','text':'hi'},"
                + "{'type':'image_url','image_url':{'url':'https://x/y.png'}}]},{'role':'tool_result','content':'r'}],"
                + "'conversation_id':'c1','mode':'chat','context':{'file':'a.py'},'provider':'scripted','model':'fast',"
                + "'temperature':0.5,'max_tokens':1000,'task_id':'t-1.a:b_c','stream':true,'provider_state':'opaque',"
                + "'tools':[{'type':'function','function':{'name':'read_file','description':'reads','parameters':{'type':'object'}}}]}");
        assertEquals(List.of(
                ChatMessage.of(ChatMessage.Role.SYSTEM, "be brief"),
                ChatMessage.of(ChatMessage.Role.SYSTEM, "Context:\n{\"file\":\"a.py\"}"),
                new ChatMessage(ChatMessage.Role.USER, List.of(new ContentPart.Text("hi"), new ContentPart.Image("https://x/y.png")),
                        Optional.empty(), List.of()),
                ChatMessage.of(ChatMessage.Role.USER, "r")), call.request().messages());
        assertEquals("fast", call.request().model());
        assertEquals(OptionalDouble.of(0.5), call.request().temperature());
        assertEquals(OptionalInt.of(1000), call.request().maxTokens());
        assertEquals(List.of(new ToolSpec("read_file", "reads", "{\"type\":\"object\"}")), call.request().tools());
        assertEquals(Optional.of("opaque"), call.request().providerState());
        assertEquals(Optional.of("scripted"), call.provider());
        assertEquals("c1", call.conversationId());
        assertEquals(Optional.of("t-1.a:b_c"), call.taskId());
        assertEquals(Optional.of("chat"), call.mode());
        assertEquals(Optional.of("{\"file\":\"a.py\"}"), call.context());
        assertTrue(call.stream());
        assertEquals(Optional.empty(), call.apiKey());
    }

    @Test
    void parseChat_shortForm_isOneUserMessageWithGeneratedConversation() {
        ChatCall call = chat("{'message':'hello','mode':'agent','context':'ctx'}");
        assertEquals(List.of(ChatMessage.of(ChatMessage.Role.SYSTEM, "Context:\nctx"), ChatMessage.of(ChatMessage.Role.USER, "hello")),
                call.request().messages());
        assertEquals("", call.request().model());
        assertEquals(36, call.conversationId().length());
        assertEquals(Optional.empty(), call.taskId());
        assertEquals(Optional.empty(), call.provider());
        assertFalse(call.stream());
    }

    @Test
    void parseChat_formFields_messagesAsJsonStringAndNumbersAsText() {
        byte[] b = ("messages=" + java.net.URLEncoder.encode("[{\"role\":\"user\",\"content\":\"hi\"}]", StandardCharsets.UTF_8)
                + "&temperature=1.5&max_tokens=20&stream=1&conversation_id=c9").getBytes(StandardCharsets.UTF_8);
        RequestBody body = new RequestBody(1 << 20);
        body.append(b, 0, b.length);
        JsonObject form = body.toJsonObject("application/x-www-form-urlencoded; charset=UTF-8");
        ChatCall call = parser.parseChat(form);
        assertEquals(List.of(ChatMessage.of(ChatMessage.Role.USER, "hi")), call.request().messages());
        assertEquals(OptionalDouble.of(1.5), call.request().temperature());
        assertEquals(OptionalInt.of(20), call.request().maxTokens());
        assertTrue(call.stream());
        assertEquals("c9", call.conversationId());
    }

    @Test
    void parseChat_assistantToolCallsAndToolResult_areKept() {
        ChatCall call = chat("{'messages':[{'role':'user','content':'q'},{'role':'assistant','content':null,'tool_calls':"
                + "[{'id':'c1','type':'function','function':{'name':'f','arguments':'{}'}}]},"
                + "{'role':'tool','tool_call_id':'c1','content':'42'}]}");
        assertEquals(new ChatMessage(ChatMessage.Role.ASSISTANT, List.of(), Optional.empty(),
                List.of(new ChatMessage.ToolCallRef("c1", "f", "{}"))), call.request().messages().get(1));
        assertEquals(new ChatMessage(ChatMessage.Role.TOOL, List.of(new ContentPart.Text("42")), Optional.of("c1"), List.of()),
                call.request().messages().get(2));
    }

    @Test
    void parseAgent_promptAndApiKey_areRead() {
        ChatCall call = parser.parseAgent(json("{'prompt':'do it','conversation_id':'c2','context':'x','api_key':'k:s'}"));
        assertEquals(List.of(ChatMessage.of(ChatMessage.Role.SYSTEM, "Context:\nx"), ChatMessage.of(ChatMessage.Role.USER, "do it")),
                call.request().messages());
        assertEquals(Optional.of("k:s"), call.apiKey());
        assertFalse(call.toString().contains("k:s"));
        FrappeError e = assertThrows(FrappeError.class, () -> parser.parseAgent(json("{'conversation_id':'c'}")));
        assertEquals("400 prompt is required", e.status() + " " + e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {'messages':[{'role':'user','content':'hi'}                           | 400 | request body is not valid JSON: it ends before the JSON is complete
            [1,2]                                                                 | 400 | request body must be a JSON object, not an array
            null                                                                  | 400 | request body must be a JSON object, not null
            42                                                                    | 400 | request body must be a JSON object, not a number
            {}                                                                    | 400 | messages is required (or message, for the short form)
            {'messages':[]}                                                       | 400 | messages must not be empty
            {'messages':'hi'}                                                     | 400 | messages must be an array of {role, content}
            {'messages':'[oops'}                                                  | 400 | messages is not valid JSON: line 1, column 2
            {'message':'hi','x':1,}                                               | 400 | request body is not valid JSON: line 1, column 23
            {'messages':[1]}                                                      | 400 | messages[0] must be an object {role, content}
            {'messages':[{'content':'hi'}]}                                       | 400 | messages[0].role is required (system, user, assistant or tool)
            {'messages':[{'role':'bot','content':'hi'}]}                          | 400 | messages[0].role: unknown role 'bot'; one of system, user, assistant, tool
            {'messages':[{'role':'user'}]}                                        | 400 | messages[0].content is required
            {'messages':[{'role':'user','content':5}]}                            | 400 | messages[0].content must be a string or an array of parts
            {'messages':[{'role':'user','content':[{'type':'audio'}]}]}           | 400 | messages[0].content[0].type: unsupported part type 'audio'; text or image_url
            {'messages':[{'role':'user','content':[{'type':'text','text':1}]}]}   | 400 | messages[0].content[0].text must be a string
            {'messages':[{'role':'user','content':[{'type':'image_url','image_url':'u'}]}]} | 400 | messages[0].content[0].image_url must be an object {url}
            {'messages':[{'role':'user','content':[{'type':'image_url','image_url':{'url':'ftp://x'}}]}]} | 400 | messages[0].content[0].image_url.url must be an http(s) or data: URL
            {'messages':[{'role':'user','content':'a'},{'role':'user','content':'b'},{'role':'user','content':'c'},{'role':'user','content':'d'}]} | 413 | too many messages: 4; the limit is 3 (ai-progress.limits.max-messages)
            {'messages':[{'role':'user','content':'12345678901'}]}                | 413 | messages[0].content is 11 characters; the limit is 10 (ai-progress.limits.max-content-chars)
            {'message':'12345678901'}                                             | 413 | message is 11 characters; the limit is 10 (ai-progress.limits.max-content-chars)
            {'message':3}                                                         | 400 | message must be a string
            {'message':'hi','temperature':2.5}                                    | 400 | temperature must be a number between 0 and 2, was 2.5
            {'message':'hi','temperature':-0.1}                                   | 400 | temperature must be a number between 0 and 2, was -0.1
            {'message':'hi','temperature':'warm'}                                 | 400 | temperature must be a number between 0 and 2, was 'warm'
            {'message':'hi','max_tokens':0}                                       | 400 | max_tokens must be a whole number between 1 and 1000, was 0
            {'message':'hi','max_tokens':1001}                                    | 400 | max_tokens must be a whole number between 1 and 1000, was 1001
            {'message':'hi','max_tokens':1.5}                                     | 400 | max_tokens must be a whole number between 1 and 1000, was 1.5
            {'message':'hi','task_id':'has space'}                                | 400 | task_id must match [A-Za-z0-9_.:-]{1,64}
            {'message':'hi','task_id':'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'} | 400 | task_id must match [A-Za-z0-9_.:-]{1,64}
            {'message':'hi','task_id':7}                                          | 400 | task_id must be a string
            {'message':'hi','provider':'nope'}                                    | 400 | unknown provider 'nope'; configured: scripted, alt
            {'message':'hi','provider':'alt','model':'llama'}                     | 400 | model 'llama' is not allowed for provider 'alt'; allowed: qwen3
            {'message':'hi','model':'gpt-9'}                                      | 400 | model 'gpt-9' is not offered by any configured provider
            {'message':'hi','stream':'maybe'}                                     | 400 | stream must be true or false, was "maybe"
            {'message':'hi','conversation_id':[1]}                                | 400 | conversation_id must be a string
            {'message':'hi','tools':{}}                                           | 400 | tools must be an array of {type:"function", function:{name, description, parameters}}
            {'message':'hi','tools':[{'type':'retrieval'}]}                       | 400 | tools[0].type must be "function"
            {'message':'hi','tools':[{'type':'function'}]}                        | 400 | tools[0].function must be an object {name, description, parameters}
            {'message':'hi','tools':[{'type':'function','function':{'name':'a b'}}]} | 400 | tools[0].function.name must match [A-Za-z0-9_-]{1,64}
            {'message':'hi','tools':[{'type':'function','function':{'name':'f','parameters':[]}}]} | 400 | tools[0].function.parameters must be a JSON Schema object
            {'messages':[{'role':'assistant','content':null,'tool_calls':[{'id':'c'}]}]} | 400 | messages[0].tool_calls[0] must be {id, type:"function", function:{name, arguments}}
            """)
    void parseChat_badBody_givesStatusAndMessage(String body, int status, String message) {
        FrappeError e = error(body);
        assertEquals(status + " " + message, e.status() + " " + e.getMessage());
    }

    @Test
    void parseObject_aString_is400NamingWhatTheBodyMustBe() {
        assertEquals("request body must be a JSON object, not a string", assertThrows(FrappeError.class,
                () -> RequestBody.parseObject("\"hi\"".getBytes(StandardCharsets.UTF_8), "request body")).getMessage());
    }

    @Test
    void parseObject_trailingGarbage_is400NamingWhere() {
        assertEquals("request body has more after its JSON object (from line 1, column 17): send exactly one JSON object",
                assertThrows(FrappeError.class, () -> json("{'message':'hi'}xyz")).getMessage());
    }

    @Test
    void parseObject_twoDocuments_is400() {
        assertEquals("request body has more after its JSON object (from line 2, column 1): send exactly one JSON object",
                assertThrows(FrappeError.class, () -> json("{'message':'hi'}\n{'message':'again'}")).getMessage());
    }

    @Test
    void parseObject_trailingWhitespace_isFine() {
        assertEquals("hi", json("{'message':'hi'}  \n\t ").getString("message"));
    }

    @Test
    void parseObject_emptyBody_is400() {
        FrappeError e = assertThrows(FrappeError.class, () -> RequestBody.parseObject(new byte[0], "request body"));
        assertEquals("request body is empty; send a JSON object", e.getMessage());
    }

    @Test
    void append_pastLimit_is413WithoutKeepingMore() {
        RequestBody body = new RequestBody(1024);
        body.append(new byte[1000], 0, 1000);
        FrappeError e = assertThrows(FrappeError.class, () -> body.append(new byte[100], 0, 100));
        assertEquals("413 request body is larger than 1024 bytes (ai-progress.limits.max-body-bytes)", e.status() + " " + e.getMessage());
        assertEquals(1000, body.size());
        assertThrows(FrappeError.class, () -> body.checkDeclaredLength(1025));
    }
}
