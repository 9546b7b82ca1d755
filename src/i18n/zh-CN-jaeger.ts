/** 简体中文：the jaeger-traces check kind (src/checks/kinds/jaeger.ts)。The same keys as src/i18n/en-jaeger.ts; composed into src/i18n/zh-CN.ts. */
import type { enJaeger } from './en-jaeger.js';
import type { Message } from './catalog.js';

export const zhCNJaeger: Record<keyof typeof enJaeger, Message> = {
  // --- 链路搜索失败（作为“实际发现”显示） ------------------------------------------------------
  'jaeger.query.answered': 'GET {url} 返回 {status}：{body}',
  'jaeger.query.emptyBody': '空的响应体',
  'jaeger.query.notEnvelope': 'GET {url} 返回的是{what}，而不是 Jaeger 的 `{"data": [...]}` 信封结构',
  'jaeger.query.reported': 'Jaeger 报告了错误：{errors}',
  'jaeger.query.badErrors': 'GET {url} 返回的 `"errors"` 是{what}：{body}',
  'jaeger.query.badData': 'GET {url} 返回的 `"data"` 是{what}，而不是链路列表',

  // --- 期望与实际 -----------------------------------------------------------------------------
  'jaeger.expected': { other: '{url} 上的 Jaeger 中至少有 {count} 条 {service} 的链路{since}' },
  'jaeger.sinceStart': '（自本课开始起）',
  'jaeger.window': '（自本课开始，即 {time} 起）',
  'jaeger.found': { other: '{at} 上有 {count} 条链路{window}' },
  'jaeger.passed': { other: 'Jaeger 中有 {shown} 条 {names} 的链路{window}' },
  'jaeger.tooFew': 'Jaeger 中 {names} 的链路{window}只有 {found} 条，需要 {min} 条',
  'jaeger.older': { other: 'Jaeger 中有 {count} 条 {names} 的较早链路，产生于本课开始之前：请发送新的请求' },
  'jaeger.sendAnother': '经网关发往 {app} 的每个请求被采样后都会产生一条链路：再发送一个请求（例如 {command}）',
  'jaeger.sendMore': '经网关发往 {app} 的每个请求被采样后都会产生一条链路：再多发送一些请求（例如 {command}）',

  // --- 连不上 Jaeger，或者那不是 Jaeger ----------------------------------------------------------
  'jaeger.noJaeger': '{url} 上没有 Jaeger：{found}',
  'jaeger.htmlPage': '一个 HTML 页面',
  'jaeger.webPage': '{url} 提供的是网页，而不是 Jaeger 查询 API',
  'jaeger.webPageWhy': 'Jaeger UI 对未知路径一律返回它的 HTML 页面，所以它的 API 在另一个基础路径下（QUERY_BASE_PATH），或者这根本不是 Jaeger',
  'jaeger.basePathsTried': '已尝试的基础路径是 / 和 /jaeger：请在检查中给出 Jaeger UI 所在的 URL',
  'jaeger.basePathHere': '这个集群的 Jaeger 在 {path} 提供 API：端口转发指向的是 app=jaeger Pod 的 16686 端口吗？',
  'jaeger.noApi': '{url} 上没有 Jaeger 查询 API',
  'jaeger.noApiWhy': '那里有程序应答，但不是 Jaeger：端口转发指向的 Pod 和端口（16686）对吗？',
  'jaeger.forward': '启动到 Jaeger 的端口转发：它的查询端口是 app=jaeger Pod 上的 16686（{command}）；只有 Istio 1.1 的预发布版本还在入口网关的 15032 上提供它',
  'jaeger.forwardHere': '启动到 Jaeger 的端口转发；在这里可行的转发：{command}{alt}（{why}）',
  'jaeger.forwardAlt': '，或者不用 `istioctl`：{command}',

  // --- Jaeger 不认识这个服务 ----------------------------------------------------------------------
  'jaeger.unknownService': 'Jaeger 中没有服务 {service}',
  'jaeger.services': 'Jaeger 中的服务：{services}',
  'jaeger.gatewayOnly': '入口网关上报了跨度，但 {service} 没有：请求到达 {service} 了吗？',
  'jaeger.gatewayOnlyWhy': '入口网关上报了跨度，但 {service} 没有：可能是它的 Pod 缺少 istio-proxy 边车，或者没有请求到达它',
  'jaeger.noSpansAtAll': 'Jaeger 根本没有收到来自网格的跨度：网格启用了追踪吗？有请求经过网格吗？',
  'jaeger.noTraffic': '还没有流量：经网关发送请求（例如 {command}），然后再检查',
  'jaeger.noSidecars': '缺少边车：没有 istio-proxy 容器的 Pod 不发送跨度（注入后 {command} 显示 2/2 个容器）',
  'jaeger.samplingLow': '采样率低：采样率为 1% 时，大约每一百个请求只有一个成为链路；多发送一些请求，或提高采样率（istio-pilot 上的 PILOT_TRACE_SAMPLING，新版 Istio 则用 Telemetry 资源）',
  'jaeger.samplingLowFor': '{advice}；{service} 有一个请求被采样后，它就会出现在 Jaeger 中',
  'jaeger.searchFailed': '{names} 的链路搜索失败',
  'jaeger.searchFailedWhy': '{at} 上的 Jaeger API 列出了该服务，但搜索失败：Jaeger 的 Pod 运行正常吗？',

  // --- 集群给出的原因（检查失败时） -------------------------------------------------------------
  'jaeger.notInstalled': '没有安装追踪：istio-system 中没有运行 Jaeger（app=jaeger），所以没有组件收集跨度；{install}',
  'jaeger.installAddon': '安装 Jaeger 插件（在 Istio 的发行包中运行 {command}）',
  'jaeger.reinstall': '用 {profile} 配置档重新安装 Istio，或用 Helm 安装并加上 {flag}',
  'jaeger.meshOff': '网格配置关闭了追踪（ConfigMap istio-system/istio 中的 `enableTracing: false`）：代理不发送跨度；把它设为 `true`',
  'jaeger.noPods': '命名空间 {namespace} 中没有 {app} 的 Pod（{selector}）：没有程序提供 {app}，也就无从追踪；先部署它，再发送请求',
  'jaeger.podsWithout': { other: '缺少边车：{names} 没有 istio-proxy 容器，所以 {app} 不发送跨度（{command} 显示 1/1 而不是 2/2）' },
  'jaeger.podsWith': '每个 {app} Pod 都有 istio-proxy 边车',
  'jaeger.samplingBelow': '采样率为 {rate}：{share}；发送几百个请求，或者{raise}',
  'jaeger.samplingFull': '采样率为 {rate}',
  'jaeger.shareNone': '没有任何请求会成为链路',
  'jaeger.shareOne': '大约每一百个请求只有一个成为链路',
  'jaeger.shareSome': '大约每一百个请求只有 {percent} 个成为链路',
  'jaeger.wrongName': '服务名不对：Jaeger 中有的是 {similar}，而不是 {service}{expect}；请在检查中写那个服务名',
  'jaeger.wrongNameHere': '（在这个 Istio 上它是 {service}）',
  'jaeger.fine': '已检查且正常：{fine}',
};
