# %% [markdown] tags=["dv-run-first"]
# > **先运行，再阅读。** 打开时看到的表格和图，是用课程自带的案例数据、按默认参数事先算好的示例；
# > 小工具（下拉框、滑块、“加载”按钮）要运行以后才会出现。请先点菜单 **运行 → 运行全部单元格**
# > （Run → Run All Cells），再从上往下读。改了参数、载入了你自己的工作日志表，下面的数字才会跟着变。

# %% [markdown]
# # 第一课 什么才算“开发了一个客户”：客户开发量的定义与意义
#
# 每个销售团队都在说“开发客户”，可是一问“上个月开发了多少”，三个人能报出三个数：
# 有人数拜访记录，有人数见过面的客户，有人只数签了单的。数字不一样，考核、奖金、
# 招人计划跟着全乱。这一课先把“数什么”说清楚。
#
# **学完这一课，你能够：**
#
# 1. 用一句话说清楚客户开发量：某个时间段里，**第一次**走到某个阶段的客户有多少位；
# 2. 说出四条数数规则：只数第一次、后面的阶段包含前面的阶段、流失也算接触过、功劳记在写下那一行的销售员名下；
# 3. 在真实规模的数据上，亲眼看到两种最常见的错误数法（数行数、数活跃客户）会把数字夸大多少；
# 4. 说出为什么这个数字值得管理者每周盯着看；
# 5. 把自己团队的工作日志表放进来，用同样的口径数一遍。

# %% tags=["parameters"]
dataset: str = "directsales"  # 案例数据集 directsales / fmcg / software，或你自己的工作日志表的路径（.xlsx / .csv / .parquet）
team: str = ""  # 只看某个团队，空字符串表示全公司
period: str = "M"  # 统计周期：W 周、M 月、Q 季、Y 年
level: str = "contacted"  # 开发到哪一步才算数：contacted 首次接触 / qualified 意向 / signed 签约 / won 成交

# %%
import pandas as pd
from IPython.display import display as show

import devvolume as dv
from devvolume.teach.exercises import lesson01

dv.viz.setup()
data = dv.teach.lesson_data(dataset, team)  # 案例数据集，或你自己的工作日志表（只用没有问题的行）
log = data.worklog  # 全公司的日志；选了团队时，团队的数字从全公司的结果里挑出来
scope = data.scope
print(f"{data.label}，全公司共 {len(log)} 行活动记录，{log['customer'].nunique()} 位不同的客户，"
      f"{log['rep'].nunique()} 位销售员。下面看的范围：{scope}")
data.banner()  # 用你自己的数据时：说明数据是谁的、跳过了哪些行

# %% [markdown]
# ## 1. 一句话定义
#
# **客户开发量 = 在一个统计时间段里，第一次达到某个阶段的客户人数。**
#
# 这句话里有三个要素：
#
# | 要素 | 含义 | 例子 |
# |---|---|---|
# | 时间段 | 统计的周期：一周、一个月、一个季度或一年 | 2025 年 3 月 |
# | 阶段 | 开发到哪一步才算“开发了”：首次接触、意向、签约、成交 | 新成交客户 |
# | 第一次 | 每个客户在每个阶段一生只被算一次 | 3 月第一次成交的客户 |
#
# 不同的阶段回答不同的问题：**新接触客户**说明团队找线索、敲门的力度；**新签约、新成交客户**
# 说明最后真正拿下了多少。同一个团队，这几个数可能差出十倍，所以报数时一定要先说清楚是哪一级。
#
# 阶段有先后顺序：首次接触 → 意向 → 签约 → 成交。“流失”不在这条线上，它是一种结局：客户谈着谈着不谈了。

# %% [markdown]
# ## 2. 为什么管理者要盯着这个数
#
# - **它是业绩的源头。** 收入 = 客户数 × 每个客户买多少。老客户会流失，每月不补进新客户，业绩迟早往下走。
# - **它反映市场在扩大还是萎缩。** 新客户来自竞争对手手里、或者原本没人服务的空白地带，开发量是市场份额变化最早的信号。
# - **新客户带来的不只是第一单。** 一个开发成功的客户往往会复购、会转介绍，它的长期价值远大于首单金额（第三课会算）。
# - **它让品牌被更多人知道。** 每一次有效的接触，都是一次口碑的传播，哪怕这次没成交。
#
# 更实际的一点：开发量是**过程指标**，比销售额更早看到问题。销售额下滑往往要晚一两个月才显现，
# 而新接触、新意向的客户一少，管理者当周就能发现并调整。

# %% [markdown]
# ## 3. 四条数数规则：先在一张小表上练手
#
# 下面是一个团队 2026 年 3 月底到 5 月初的 13 条工作日志。每一行是一次活动，“阶段”写的是这次活动之后客户走到了哪一步。

# %%
toy = lesson01.toy_worklog()
dv.teach.chinese(toy)

# %% [markdown]
# 问题：**4 月新接触了几位客户？** 按下面四条规则一位一位地数：
#
# 1. **只数第一次。** 恒达贸易 3 月 30 日就接触过了，4 月 2 日是再次拜访，不是新客户。
#    华联超市、永信家居 4 月被联系了好几次，每家只算一位。
# 2. **后面的阶段包含前面的阶段。** 万通物流只有一行“成交”：能成交，说明当天（最晚当天）已经接触过、
#    有过意向、签了约。这些没写出来的阶段叫“隐含阶段”，同样要算。
# 3. **流失也算接触过。** 金桥科技、宏远医疗第一次见面就流失了，但接触确实发生了：它们算 4 月的新接触客户，
#    只是永远不会算进签约、成交。
# 4. **功劳记在写下那一行的人名下。** 一个新客户记给“定下那个日期的那一行”的销售员，也就是第一次接触它的人。
#
# 结果：万通物流、华联超市、金桥科技、宏远医疗、永信家居，4 月一共 **5 位**新接触客户。
# 用 `dv.development_volume` 算一遍，结果一样：

# %%
dv.teach.chinese(dv.development_volume(toy, level="contacted", period="M", by="rep"))

# %% [markdown]
# ### 打开“黑箱”：这个函数里面到底做了什么
#
# `dv.development_volume` 不是什么神秘的算法。它的核心只有三步，用 pandas（Python 里处理表格的工具）写出来也就几行：
#
# 1. 给每个阶段排一个先后位置。“流失”和“首次接触”排在同一位，因为流失的客户至少被接触过一次；
# 2. 对每位客户，只看阶段**达到或超过**这一级的那些行，取其中**最早的日期**，这就是他“第一次到达”这一级的日子；
# 3. 把这些日期按月份归类，数一数每个月有几位。
#
# 下面这个单元格就是这三步，在上面那张 13 行的小表上运行：

# %%
# 第 1 步：阶段的先后位置（流失 = 接触过，和首次接触同一位）
ladder = {"contacted": 0, "lost": 0, "qualified": 1, "signed": 2, "won": 3}


def first_dates(worklog, level):
    """每位客户第一次达到 level（或更后面的阶段）的日期。"""
    rows = worklog[worklog["stage"].map(ladder) >= ladder[level]]  # 只留下达到这一级的行
    return rows.groupby("customer")["date"].min()                  # 第 2 步：每位客户取最早的一天


first_contact = first_dates(toy, "contacted")
by_hand = first_contact.dt.strftime("%Y-%m").value_counts()        # 第 3 步：按月份数人头
first_contact.sort_values().dt.strftime("%Y-%m-%d").rename_axis("客户").reset_index(name="第一次接触的日期")

# %% [markdown]
# 拿“手算”的结果和 `dv.development_volume` 逐月对一对。再把四个阶段都试一遍，每个月的数都应当一模一样：

# %%
engine = dv.development_volume(toy, level="contacted", period="M")
months = engine["period"].dt.strftime("%Y-%m")
show(pd.DataFrame({"月份": months, "手算（上面几行 pandas）": months.map(by_hand).fillna(0).astype(int),
                   "dv.development_volume": engine["volume"]}))
for level_code in dv.LEVELS:
    engine = dv.development_volume(toy, level=level_code, period="M")
    counted = first_dates(toy, level_code).dt.strftime("%Y-%m").value_counts()
    by_month = engine["period"].dt.strftime("%Y-%m").map(counted).fillna(0).astype(int)
    assert by_month.tolist() == engine["volume"].tolist(), level_code
    print(f"{dv.STAGE_LABELS[level_code]}：每个月都一致，共 {engine['volume'].sum()} 位")

# %% [markdown]
# 既然几行就能写出来，为什么还要用 `dv.development_volume`？因为真实工作中还有几件手算容易漏掉的事，它都替你做好了：
#
# - **功劳记给谁。** 它同时记下“定下那个日期的那一行”是哪位销售员、哪个团队写的；同一天有好几行时，按固定的规则挑一行，
#   所以每个人的数加起来正好等于团队，每个团队加起来正好等于全公司。
# - **先在全公司数，再分到团队。** 一位客户可能被两个团队都跟进过。它先在全公司的日志上确定每位客户第一次到达的日子，
#   再把这位客户记在当时那个团队名下。如果先把日志剪成只剩一个团队再数，同一位客户会在两个团队里各被当成一次“新客户”，
#   团队加起来就比全公司还多。
# - **为 0 的月份也列出来**；中文阶段名（首次接触、成交……）和英文代码（contacted、won……）都认得。
#
# 本课程里的每一个数字、每一个小工具，背后都是这同一套规则。

# %% [markdown]
# 再看两种常见的“省事”数法：
#
# - 数 4 月阶段写着“首次接触”的**行数**：7 行。恒达贸易被算了一次，华联超市和永信家居各被算了三次。
# - 数 4 月**有活动的客户**：6 位，把 3 月就接触过的恒达贸易也算了进来。
#
# 下面这个函数把三种数法放在一起：

# %%
dv.teach.chinese(dv.teach.counting_comparison(toy, level="contacted", period="M"))

# %% [markdown]
# ## 4. 恍然大悟的时刻：在真实规模的数据上比一比
#
# 小表上差一两个，看起来无所谓。换成案例公司一整年、两万多行的工作日志，三种数法的差距就很刺眼了。
# 下表和下图用的是参数里设定的范围、周期和阶段。选了某个团队时，“新客户”是全公司的结果里记在这个团队名下的那部分，
# “行数”和“活跃客户”数的是这个团队自己写下的那些行。

# %%
first_day, last_day = log["date"].min(), log["date"].max()
data.note(f"“一整年、两万多行”说的是案例公司。你们的文件有 {len(log):,} 行，"
          f"从 {first_day:%Y-%m-%d} 到 {last_day:%Y-%m-%d}；下面的表和图都是用它算的。")

# %%
comparison = dv.teach.counting_comparison(log, level=level, period=period, team=team)
dv.teach.chinese(comparison)

# %%
dv.teach.counting_chart(comparison, period=period,
                        title=f"{scope}：三种数法的对比（{dv.STAGE_LABELS[level]}）")

# %%
share_rows = comparison["rows"].sum() / comparison["new"].sum()
share_active = comparison["active"].sum() / comparison["new"].sum()
print(f"数行数，会把{dv.STAGE_LABELS[level]}客户开发量夸大到 {share_rows:.1f} 倍；")
print(f"数活跃客户，各期加起来会夸大到 {share_active:.1f} 倍。")

# %% [markdown]
# 读图时注意三件事：
#
# - **行数**反映的是“忙不忙”，不是“开发了多少”。一个销售员把同一个客户打十次电话，行数涨十，客户一个没多。
# - **活跃客户**里大多是以前就接触过、还在跟进的客户。跟进当然重要，但它不是“开发”。
# - 在首次接触这一级，第一个周期里“活跃客户”和“新客户”两条线重合：日志从那时才开始记，之前的历史看不到，
#   于是每个客户都像是“新”的。用别人的数据时，**第一个周期的数字要打个问号**。
#
# 把阶段换成“成交”试试（下面的小工具里就能换）。成交这一级，行数和新客户数差多少？要看数据：
# 每位客户只成交一次的公司差得不多，老客户反复下单的公司差得很多。下面用这份数据算一算：

# %%
won_rows = dv.teach.counting_comparison(log, level="won", period=period, team=team)
rows_won, new_won = int(won_rows["rows"].sum()), int(won_rows["new"].sum())
ratio_text = f"是新成交客户数的 {rows_won / new_won:.1f} 倍" if new_won else "而新成交客户一位也没有"
print(f"{scope}的成交这一级：{rows_won:,} 行“成交”，{new_won:,} 位新成交客户，行数{ratio_text}。")
if new_won and rows_won <= 1.2 * new_won:
    print("在这份数据里两者相差不大：每位客户基本只成交一次，错误口径的危害主要在前面几级。")
else:
    print("在这份数据里，同一位客户成交了好几次（复购），数行数在成交这一级也会把开发量夸大。")

# %% [markdown]
# ## 5. 动手试一试
#
# 用下面的下拉框换阶段、周期和团队，观察三种数法的差距在哪一级最大、哪个团队最大。
# 每次改动，背后都调用同一个函数 `dv.teach.counting_comparison`。

# %%
dv.teach.counting_explorer(log, level=level, period=period, team=team)

# %% [markdown]
# ## 6. 用你自己的数据
#
# 把你团队的工作日志表（Excel 的 .xlsx 或 .csv）放进来，不用写代码：
#
# 1. 在“文件路径”里填路径，或点“上传文件”，再点“加载”。**相对路径从启动 JupyterLab 的文件夹算起**
#    （左侧文件浏览器的最上层）。最省事的办法：在左侧文件浏览器里右键你的文件 → “复制路径”（Copy Path），粘贴到路径框里。
#    找不到文件时，提示会写出它找过的每一个完整路径。
# 2. 表头写 日期、销售员、团队、客户、阶段（渠道、活动类型、金额、备注可选）。文件有问题时，会列出 Excel 里的行号、列名和改法；
#    只有几行有问题时，可以点按钮**先用没有问题的行继续**，有问题的行不算进去。你的原文件不会被改动。
# 3. 载入后，下面会出现和第 5 节一样的小工具：阶段、周期、团队都用下拉框选。选了某个团队，数的是**整个文件**先数好、
#    再记在这个团队名下的那部分；图的标题写着它数的是哪个团队，“全部团队”就是文件里的所有人。

# %%
dv.teach.own_worklog("counting", level=level, period=period)

# %% [markdown]
# 文件有问题时会是什么样？下面用一个故意写错三处的小文件演示（日期不存在、销售员空着、阶段写成了“已付款”）：

# %%
name, content = dv.teach.example_problem_file()
report = dv.teach.load_uploaded(name, content)
print(f"{report.source}：读入 {report.rows_read} 行，其中 {len(report.bad_rows)} 行有问题，"
      f"{len(report.valid)} 行可以直接用。")
with pd.option_context("display.max_colwidth", None):  # 每条问题说明都整句显示，不截断
    show(dv.teach.problems_table(report.problems))

# %% [markdown]
# ## 小结
#
# - 客户开发量 = 一个时间段里**第一次**达到某个阶段的客户人数。报数时先说清楚是哪一级、哪个时间段。
# - 四条规则：只数第一次；后面的阶段包含前面的阶段；流失也算接触过；功劳记在定下日期那一行的销售员名下。
# - 这些规则写成代码只有几行：每位客户取“达到这一级的行”里最早的日期，再按周期数人头。`dv.development_volume` 做的就是这件事，
#   而且先在全公司数、再分到团队和个人。
# - 两个经典错误：数行数（数的是忙碌程度）、数活跃客户（把老客户当新客户）。它们会把开发量夸大，夸大多少要看数据（第 4 节在这份数据上算过）。
# - 开发量是业绩的源头，也是比销售额更早的预警信号。
# - 下一课：时间段怎么划、数据怎么收集、数字怎么汇总才不出错。
