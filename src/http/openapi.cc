#include "http/openapi.h"

#include <mutex>

namespace aftersales::http {
namespace {

using json = nlohmann::json;
using app::FieldType;

json field_schema(const app::FieldSpec& f) {
  json s;
  switch (f.type) {
    case FieldType::kInt: s = {{"type", "integer"}, {"minimum", f.min}, {"maximum", f.max}}; break;
    case FieldType::kRef: s = {{"type", "integer"}, {"minimum", 1}, {"description", "id of a " + f.ref_table + " row"}}; break;
    case FieldType::kNumber: s = {{"type", "number"}, {"minimum", f.min}, {"maximum", f.max}}; break;
    case FieldType::kBool: s = {{"type", "boolean"}}; break;
    case FieldType::kDate: s = {{"type", "string"}, {"format", "date"}}; break;
    case FieldType::kEnum: s = {{"type", "string"}, {"enum", f.values}}; break;
    case FieldType::kEmail: s = {{"type", "string"}, {"format", "email"}, {"maxLength", f.max_length}}; break;
    case FieldType::kStringList:
      s = {{"type", "array"}, {"items", f.values.empty() ? json{{"type", "string"}} : json{{"type", "string"}, {"enum", f.values}}}};
      break;
    default: s = {{"type", "string"}, {"maxLength", f.max_length}};
  }
  if (f.nullable && !f.required && f.type != FieldType::kStringList && f.type != FieldType::kBool) {
    json t = s["type"];
    s["type"] = json::array({t, "null"});
  }
  return s;
}

const char* kDocsPage = R"html(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Aftersales API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;margin:0;color:#1f1f1f}
header{background:#001529;color:#fff;padding:16px 32px}header h1{margin:0;font-size:20px}
main{max-width:1100px;margin:0 auto;padding:16px 32px}h2{border-bottom:1px solid #eee;padding-bottom:4px;text-transform:capitalize}
details{border:1px solid #e5e5e5;border-radius:6px;margin:6px 0;padding:6px 10px}summary{cursor:pointer}
.m{display:inline-block;width:64px;font-weight:600;font-family:monospace}.GET{color:#1677ff}.POST{color:#389e0d}
.PATCH{color:#d48806}.DELETE{color:#cf1322}code,pre{font-family:ui-monospace,monospace;font-size:12px}
pre{background:#fafafa;padding:8px;overflow:auto;max-height:320px}.lock{color:#999;font-size:12px}
</style></head><body><header><h1>Aftersales API reference · 工程售后服务管理系统 API</h1></header>
<main><p>All endpoints live under <code>/api/v1</code>. Authenticate with <code>POST /api/v1/auth/login</code>, then send
<code>Authorization: Bearer &lt;token&gt;</code> (the web UI uses an HttpOnly cookie). Errors are
<code>application/problem+json</code> with <code>errors[]</code> naming each field and rule. Updates need the version you read
(<code>If-Match: "3"</code>). The machine-readable document is <a href="/api/openapi.json">/api/openapi.json</a>.</p>
<div id="api">Loading…</div></main>
<script>
fetch('/api/openapi.json').then(r=>r.json()).then(doc=>{
  const byTag={};
  for(const [path,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops)){
    const t=(op.tags||['other'])[0];(byTag[t]=byTag[t]||[]).push({path,m:m.toUpperCase(),op});}
  const esc=s=>String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
  let html='';
  for(const [tag,list] of Object.entries(byTag)){
    html+='<h2>'+esc(tag)+'</h2>';
    for(const {path,m,op} of list){
      const bodies=op.requestBody?Object.entries(op.requestBody.content):[];
      const body=bodies.length?'<p>Request body ('+esc(bodies.map(([t])=>t).join(', '))+'):</p><pre>'+esc(JSON.stringify(bodies[0][1].schema,null,2))+'</pre>':'';
      const ok=Object.entries(op.responses).find(([c])=>c.startsWith('2'));
      const res=ok&&ok[1].content?'<p>Response '+ok[0]+':</p><pre>'+esc(JSON.stringify(ok[1].content['application/json'].schema,null,2))+'</pre>':'';
      const params=(op.parameters||[]).map(p=>'<code>'+esc(p.name)+'</code> ('+esc(p.in)+')').join(', ');
      html+='<details><summary><span class="m '+m+'">'+m+'</span><code>'+esc(path)+'</code> — '+esc(op.summary)+
        (op.security&&op.security.length===0?' <span class="lock">public</span>':'')+'</summary>'+
        (params?'<p>Parameters: '+params+'</p>':'')+body+res+'</details>';
    }
  }
  document.getElementById('api').innerHTML=html;
});
</script></body></html>)html";

}  // namespace

json resource_schema(const app::ResourceSpec& spec, bool for_write) {
  json props = json::object();
  json required = json::array();
  if (!for_write) props["id"] = {{"type", "integer"}, {"readOnly", true}};
  for (const auto& f : spec.fields) {
    props[f.name] = field_schema(f);
    if (f.required && for_write) required.push_back(f.name);
  }
  for (const auto& ch : spec.children) {
    if (ch.scalar) {
      props[ch.name] = {{"type", "array"}, {"items", field_schema(ch.fields[0])}, {"maxItems", ch.max_items}};
    } else {
      json item_props = json::object(), item_req = json::array();
      for (const auto& f : ch.fields) {
        item_props[f.name] = field_schema(f);
        if (f.required) item_req.push_back(f.name);
      }
      props[ch.name] = {{"type", "array"},
                        {"maxItems", ch.max_items},
                        {"items", {{"type", "object"}, {"properties", item_props}, {"required", item_req},
                                   {"additionalProperties", false}}}};
    }
  }
  if (!for_write) {
    for (const auto& c : spec.computed) {
      auto pos = c.rfind(" AS ");
      props[c.substr(pos + 4)] = {{"readOnly", true}};
    }
    if (spec.timestamps) {
      props["created_at"] = {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
      props["updated_at"] = {{"type", "string"}, {"format", "date-time"}, {"readOnly", true}};
    }
  }
  props["version"] = {{"type", "integer"}, {"description", "optimistic-lock version; send it back on update"}};
  json s = {{"type", "object"}, {"properties", props}};
  if (for_write) {
    s["required"] = required;
    s["additionalProperties"] = false;
  }
  return s;
}

json openapi_document(const Router& router) {
  json problem = {{"type", "object"},
                  {"required", {"type", "title", "status"}},
                  {"properties", {{"type", {{"type", "string"}}}, {"title", {{"type", "string"}}}, {"status", {{"type", "integer"}}},
                                  {"detail", {{"type", "string"}}}, {"request_id", {{"type", "string"}}},
                                  {"errors", {{"type", "array"}, {"items", {{"type", "object"}, {"properties",
                                      {{"field", {{"type", "string"}}}, {"rule", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}}}};
  json paths = json::object();
  for (const auto& r : router.routes()) {
    std::string m = r.method;
    std::transform(m.begin(), m.end(), m.begin(), ::tolower);
    json op = {{"operationId", r.operation_id}, {"summary", r.summary}, {"tags", {r.tag}}};
    json params = json::array();
    for (const auto& seg : r.segments)
      if (seg.size() > 2 && seg.front() == '{')
        params.push_back({{"name", seg.substr(1, seg.size() - 2)}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
    for (const auto& q : r.query_parameters) params.push_back(q);
    if (m == "patch") params.push_back({{"name", "If-Match"}, {"in", "header"}, {"schema", {{"type", "string"}}},
                                        {"description", "the version you read, e.g. \"3\" (or send \"version\" in the body)"}});
    if (!params.empty()) op["parameters"] = params;
    if (!r.request_schema.is_null()) {
      json content = json::object();
      if (r.request_schema.contains("x-media-types")) {
        json schema = r.request_schema;
        schema.erase("x-media-types");
        for (const auto& type : r.request_schema["x-media-types"]) content[type.get<std::string>()] = {{"schema", schema}};
      } else {
        content["application/json"] = {{"schema", r.request_schema}};
      }
      op["requestBody"] = {{"required", true}, {"content", content}};
    }
    json responses = json::object();
    json ok = {{"description", "success"}};
    if (!r.response_schema.is_null()) {
      std::string ct = r.operation_id == "metrics" ? "text/plain" : "application/json";
      ok["content"] = {{ct, {{"schema", r.response_schema}}}};
    }
    responses[std::to_string(r.success_status)] = ok;
    json prob = {{"description", "problem"}, {"content", {{"application/problem+json", {{"schema", {{"$ref", "#/components/schemas/Problem"}}}}}}}};
    responses["4XX"] = prob;
    op["responses"] = responses;
    if (!r.authenticated) op["security"] = json::array();
    paths[r.pattern][m] = op;
  }
  return {{"openapi", "3.1.0"},
          {"info", {{"title", "Aftersales API"}, {"version", AFTERSALES_VERSION},
                    {"description", "After-sales service management for engineering contractors (工程售后服务管理系统)."}}},
          {"servers", {{{"url", "/"}}}},
          {"security", {{{"bearer", json::array()}}, {{"cookie", json::array()}}}},
          {"components", {{"securitySchemes", {{"bearer", {{"type", "http"}, {"scheme", "bearer"}}},
                                               {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "as_session"}}}}},
                          {"schemas", {{"Problem", problem}}}}},
          {"paths", paths}};
}

void register_docs(Router& router) {
  Route spec{"GET", "/api/openapi.json", "openapi", "This OpenAPI 3.1 document", "operations"};
  spec.authenticated = false;
  spec.response_schema = {{"type", "object"}};
  const Router* r = &router;
  spec.handler = [r](Request&) {
    static std::once_flag once;
    static std::string cached;
    std::call_once(once, [&] { cached = openapi_document(*r).dump(); });
    Response res;
    res.body = cached;
    res.set_header("Cache-Control", "no-cache");
    return res;
  };
  router.add(spec);

  Route docs{"GET", "/api/docs", "apiDocs", "A readable API reference page", "operations"};
  docs.authenticated = false;
  docs.response_schema = {{"type", "string"}};
  docs.handler = [](Request&) {
    Response res;
    res.content_type = "text/html; charset=utf-8";
    res.body = kDocsPage;
    res.set_header("Cache-Control", "no-cache");
    return res;
  };
  router.add(docs);
}

}  // namespace aftersales::http
