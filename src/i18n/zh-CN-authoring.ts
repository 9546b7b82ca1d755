/** 简体中文：班级视图、lint、导入与自测（src/class/、src/authoring/），以及 engine/、ui/、traces/ 中余下的话。The same keys as src/i18n/en-authoring.ts; composed into src/i18n/zh-CN.ts. */
import type { enAuthoring } from './en-authoring.js';
import type { Message } from './catalog.js';

export const zhCNAuthoring: Record<keyof typeof enAuthoring, Message> = {
  // --- 班级表格（src/class/class-view.ts） ---
  'author.class.learners': { other: '{count} 名学员，{done} 名已完成' },
  'author.class.stuckLongest': '；卡得最久：{learner} 在 {step} 已卡住 {duration}',
  'author.class.step': '步骤',
  'author.class.stuck': '卡住',
  'author.class.lastFailure': '最近一次失败',
  'author.class.done': '已完成',
  'author.class.onStep': '在此步骤',
  'author.class.passed': '已通过',
  'author.class.steps': '步骤：{steps}',

  // --- lint 警告（src/authoring/lint.ts） ---
  'author.lint.noCheck': '步骤“{step}”有命令却没有检查：没有什么能告诉学员命令是否奏效',
  'author.lint.killByName': '不安全：“{command}”按名字结束进程，也会结束不是这个课程启动的进程；请改用后台命令（运行器会停止它），或按 PID 结束进程',
  'author.lint.unsetVar': '这里读取了 {ref}，但前面没有任何步骤导出它',
  'author.lint.erasNotListed': '有代码块标记了时代（{eras}），但前置元数据没有列出任何时代：请加上 `eras: [...]`，让 lint 能检查每个时代都有解答',
  'author.lint.eraNotClaimed': '这个代码块针对时代 {era}，但课程没有声明它（前置元数据中的时代：{claimed}）',
  'author.lint.eraNoSolution': '步骤“{step}”：它的解答中没有适用于 {missing} 的命令，而课程声明了这些时代（第 {line} 行的时代：{claimed}）：请加一个带 `when=era:{eras}` 的解答块',
  'author.lint.policyCall': 'trace 检查：“{from} -> {to}”：`istio-policy` 的 Check Span 上方没有客户端 Span（调用由 Sidecar 的 Mixer 过滤器发出）；请写成“{from} > {to}”',
  'author.lint.policyEras': 'trace 检查：`istio-policy` 的 Span 只存在于 Istio 1.0 和 1.1（Mixer）；请加上 `eras: [1.0, 1.1]`（或把它放进 `check {when=era:1.0,1.1}` 块），这样检查在 modern Istio 上会通过',

  // --- src/ui/ 中余下的话 ---
  'author.ui.image': '图片',
};
