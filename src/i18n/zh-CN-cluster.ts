/** 简体中文：the cluster client, gateway URL, era detection, targets and the kubeconfig (src/cluster/, src/kube/)。The same keys as src/i18n/en-cluster.ts; composed into src/i18n/zh-CN.ts. */
import type { enCluster } from './en-cluster.js';
import type { Message } from './catalog.js';

export const zhCNCluster: Record<keyof typeof enCluster, Message> = {
  // --- kubeconfig（src/kube/kubeconfig.ts）---------------------------------------------------
  'kube.config.the': 'kubeconfig',
  'kube.config.fileUnreadable': '无法读取 kubeconfig {file}：{error}',
  'kube.config.unreadable': '无法读取 kubeconfig：{error}',
  'kube.config.noSuchContext': '{name} 中没有上下文“{context}”（其中的上下文：{known}）',
  'kube.config.noCurrentContext': '{name} 没有当前上下文：用 kubectl config use-context 选定一个，或传入 --context',
  'kube.none': '无',

  // --- 选择目标集群（src/cluster/target.ts）---------------------------------------------------
  'kube.target.both': '--sandbox 与 --kubeconfig/--context 只能二选一',
  'kube.target.unreadable': '无法读取 kubeconfig {file}：{error}',
  'kube.target.noKubeconfig': '找不到 kubeconfig（{files}）；请用 --kubeconfig FILE 指定，或使用 --sandbox',
  'kube.target.noContext': '{file} 中找不到上下文“{context}”；其中的上下文：{known}',

  // --- GATEWAY_URL（src/cluster/gateway-url.ts）----------------------------------------------
  'kube.gw.unnamed': '（未命名）',
  'kube.gw.noHttp2': '{namespace} 中的服务 {service} 没有名为 http2 的端口（它的端口：{ports}），无法确定哪个端口提供 HTTP；请自己指定地址（{flag}）',
  'kube.gw.loadBalancer': 'LoadBalancer 入口 {host}，端口 {port}',
  'kube.gw.noNodePort': '{namespace} 中的服务 {service} 没有负载均衡器地址，它的 http2 端口也没有节点端口（类型 {type}）；请改用端口转发（{command}），并使用 {flag}',
  'kube.gw.pending': '没有负载均衡器地址（EXTERNAL-IP 待分配）',
  'kube.gw.noLoadBalancer': '没有负载均衡器',
  'kube.gw.onPodHost': '网关 Pod 所在主机 {ip} 上的节点端口 {port}（http2）—— {pending}',
  'kube.gw.noHostIp': '还没有哪个网关 Pod（{selector}）分配到主机 IP',
  'kube.gw.noPod': '{namespace} 中没有匹配 {selector} 的 Pod',
  'kube.gw.onNode': '节点 {node} 的 InternalIP {ip} 上的节点端口 {port}（http2）—— {pending}；{reason}',
  'kube.gw.noInternalIp': '没有哪个节点有 InternalIP',
  'kube.gw.noNodeAddress': '入口网关有节点端口 {port}（http2），但找不到节点地址：{reasons}',
  'kube.gw.noServiceElsewhere': '命名空间 {namespace} 中没有服务 {service}；带标签 {selector} 的网关服务：{names}。请自己指定地址（{flag}）',
  'kube.gw.noService': '命名空间 {namespace} 中没有服务 {service}：安装 Istio 时装了入口网关吗？（{command}）',

  // --- 集群客户端的错误（src/cluster/kube-client.ts）--------------------------------------------
  'kube.client.noCluster': 'kubeconfig 的上下文“{context}”没有指定集群：用 {command} 检查一下',
  'kube.client.unauthorized': '{server} 上的集群不接受上下文 {context} 的凭据（401 Unauthorized）：令牌或证书有误或已过期；请重新登录，然后试试 {command}',
  'kube.client.refused': '集群拒绝{what}：{status}',
  'kube.client.refusedSaying': '集群拒绝{what}：{status} {message}',
  'kube.client.timeout': '{server} 上的集群在 {seconds} 秒内没有应答 —— 它在运行吗？从本机能访问到吗？（{probe}）',
  'kube.client.tlsRejected': '无法安全地连接 {server} 上的集群：它的 TLS 证书被拒绝（{reason}）；检查 kubeconfig 中的 {field}（{probe}）',
  'kube.client.noResolve': '无法连接 {server} 上的集群：它的主机名无法解析（{reason}）—— 你连的网络或 VPN 对吗？（{probe}）',
  'kube.client.cannotReach': '无法连接 {server} 上的集群：{reason} —— 它在运行吗？（{probe}）',
  'kube.client.failed': '无法在 {server} 上的集群中{what}：{error}',
  'kube.client.askKind': '查询 {kind} 类型（GET {path}）',
  'kube.client.htmlTitled': '（一个标题为“{title}”的 HTML 页面）',
  'kube.client.html': '（一个 HTML 页面）',
  'kube.answer.notHttp': '它不是有效的 HTTP',
  'kube.answer.cutShort': '它的 JSON 不完整',
  'kube.answer.notJson': '它不是 JSON',
  'kube.answer.mediaType': '它是 {type}，不是 JSON',
  'kube.answer.noContentType': '它没有内容类型',
  'kube.answer.notObject': '它不是 Kubernetes 对象',
  'kube.answer.wrongShape': '它是 JSON，但不是 Kubernetes 应答的结构',
  'kube.noKind': '集群中没有 {kind} 这种类型（{apiVersion}）：{question}',
  'kube.noKind.istio': '安装 Istio 了吗？',
  'kube.noKind.crd': '它的 CustomResourceDefinition 安装了吗？（{command}）',
  'kube.noKind.spelling': '检查类型名和 apiVersion 的拼写（{command}）',
  'kube.rbac.refused': 'RBAC 拒绝：不能对 {kind} 执行 {verb}',
  'kube.rbac.refusedIn': 'RBAC 拒绝：不能对命名空间 {namespace} 中的 {kind} 执行 {verb}',
  'kube.rbac.saying': '{text}（{message}）',
  'kube.rbac.inNamespace': 'RBAC 拒绝：不能对命名空间 {namespace} 中的 {resource} 执行 {verb}（{ask}）',
  'kube.rbac.clusterScope': 'RBAC 拒绝：不能在集群范围内对 {resource} 执行 {verb}（{ask}）',
  'kube.rbac.ask': '请申请对“{resource}”的“{verb}”权限',
  'kube.rbac.askGroup': '请申请对 API 组“{group}”中“{resource}”的“{verb}”权限',
  'kube.rbac.forUser': '{ask}，授予用户“{user}”',
};
