# %% [markdown] tags=["dv-run-first"]
# > **先运行，再阅读。** 打开时看到的表格和图，是用课程自带的案例数据、按默认参数事先算好的示例；
# > 小工具（下拉框、滑块、“加载”按钮）要运行以后才会出现。请先点菜单 **运行 → 运行全部单元格**
# > （Run → Run All Cells），再从上往下读。改了参数、载入了你自己的工作日志表，下面的数字才会跟着变。

# %% [markdown]
# # 第七课 案例复盘：开发量是怎么提上去的？是真的提上去了吗？
#
# 课程大纲里有两个案例：
#
# - 一家**快消品公司**建立了客户开发数据库，结合市场分析和客户反馈调整开发策略，一年里新开发的客户多了一半；
# - 一家**软件公司**优化了销售流程、加强了培训，几个月内客户开发量增长了三成，转化率也提高了。
#
# 这一课用两个案例的数据集（`fmcg` 和 `software`）把这两个故事从工作日志里**重新算一遍**，
# 然后问一个管理者最该问、却最少被问的问题：**这个增长是真的，还是运气？**
#
# **学完这一课，你能够：**
#
# 1. 从工作日志里复现“一年 +50%”和“几个月 +30%”，并找出增长来自哪里；
# 2. 用 `dv.compare_periods` 判断一个变化是不是超出了随机波动，读懂它给出的那句话；
# 3. 说明为什么“某个月涨了 30%”在小团队里往往不说明问题；
# 4. 对客户开发量管理的下一步有自己的判断。

# %% [markdown]
# > **这是模拟数据。** 这一课的三家公司都是用课程的模拟器“造”出来的，模型里事先写好了这些效果：
# >
# > - **快消品公司**（fmcg）：从 2025-01-01 起，客户开发数据库每天额外带来一批“电话营销”线索
# >   （相当于原来线索量的 68%），除此以外什么都不变。所以“增长来自电话营销”是设定好的。
# > - **软件公司**（software）：从 2025-07-01 起，优化流程（每一步的等待时间 × 0.94，每天能做的活动 × 1.03）
# >   和全员培训（每人约 19 个小时）是写进模型的。
# > - **随机种子是挑过的**（随机种子是模拟器抽随机数的起点，换一个种子就是换一批运气）：两个案例都是从 0 号种子往上找，用第一个增长正好接近大纲数字（+50%、+30%）的种子。
# >   换一个种子，同样的改革会得出不同的数字（第 1、2 节末尾用 20 多个种子算给你看）。
# > - **directsales 全年没有任何改革**，但模型里有季节起伏（年中最旺）、春节前后客户少、节假日不上班。
# >
# > 所以在这一课里，“增长是改革带来的”是**模型的假设**。数据和检验能回答的只是“这个变化是不是运气”；
# > “是不是改革的功劳”，要和**没有改革的同期**比。完整的清单见 `datasets/fmcg/README.md`、
# > `datasets/software/README.md` 的“Built-in effects”一节。

# %% tags=["parameters"]
dataset: str = "directsales"  # 第 3 节“随机波动”用的数据：案例数据集 directsales / fmcg / software，或你自己的工作日志表的路径
team: str = ""  # 第 3 节看的团队，空字符串表示全公司
period: str = "M"  # 案例图表的统计周期：W 周 / M 月 / Q 季 / Y 年

# %%
import pandas as pd

import devvolume as dv

dv.viz.setup()
fmcg = dv.load_dataset("fmcg")
software = dv.load_dataset("software")
data = dv.teach.lesson_data(dataset, team)  # 第 3 节用：案例数据集，或你自己的工作日志表（只用没有问题的行）
data.banner()  # 用你自己的数据时：说明数据是谁的、跳过了哪些行

# %% [markdown]
# ## 1. 快消品公司：一年新客户 +50%
#
# 这家公司有 3 个团队、12 名销售员，面向门店和经销商。2025 年初，它建起了一个客户开发数据库：
# 把区域内所有潜在门店整理成名单，按名单系统地电话开发。先按年数一数新成交客户：

# %%
data.note("第 1、2 节是课程大纲里的两个案例（快消品公司 fmcg 和软件公司 software），用的是这两个案例的数据，"
          "不是你们的日志；第 3 节和第 4 节换成了你们的日志。")

# %%
yearly = dv.development_volume(fmcg.worklog, level="won", period="Y")
won_2024, won_2025 = yearly["volume"].tolist()
print(f"2024 年新成交客户：{won_2024}    2025 年：{won_2025}    增长：{won_2025 / won_2024 - 1:+.0%}")
dv.viz.volume_trend(dv.development_volume(fmcg.worklog, level="won", period=period),
                    period=period, mark="bar", title="快消品公司：新成交客户（2025 年起使用客户开发数据库）")

# %% [markdown]
# **增长来自哪里？** 按渠道拆开看，答案一目了然：

# %%
by_channel = dv.development_volume(fmcg.worklog, level="won", period="Y", by="channel")
channel_table = by_channel.pivot(index="channel", columns="period", values="volume").rename_axis("渠道")
channel_table.columns = [f"{c:%Y} 年" for c in channel_table.columns]
channel_table["变化"] = channel_table.iloc[:, 1] - channel_table.iloc[:, 0]
channel_table.sort_values("变化", ascending=False)

# %%
total_change = int(channel_table["变化"].sum())
top_channel = str(channel_table["变化"].idxmax())
top_change = int(channel_table.loc[top_channel, "变化"])
print(f"新成交客户一共多了 {total_change} 个：“{top_channel}”多了 {top_change} 个，"
      f"其他渠道合计 {total_change - top_change:+d} 个。")
print("这是模拟数据：模型里数据库只增加电话营销的线索，所以增量落在这个渠道是设定好的，不是发现。")

# %% [markdown]
# **这个增长是真的吗？** `dv.compare_periods` 把两年的新客户数换算成“每天多少个”，
# 再用精确的泊松检验判断差异是否超出了随机波动：

# %%
fmcg_change = dv.compare_periods(fmcg.worklog, before=("2024-01-01", "2024-12-31"),
                                    after=("2025-01-01", "2025-12-31"))
print(fmcg_change.message)

# %%
def not_chance(change: dv.PeriodComparison) -> str:
    # 检验的结论，用它自己的判断写成一句话
    return "不太可能只是运气" if change.significant else "还不能排除只是运气"


print(f"检验的结论：两年的差别{not_chance(fmcg_change)}（{dv.p_text(fmcg_change.p_value)}）。")
print("但“不是运气”只说明两年确实不一样，不说明是数据库带来的：市场、季节、日历也会让两年不一样。"
      "要知道数据库占了多少功劳，得和没有数据库的同期比。")

# %% [markdown]
# **和“什么都不做”比。** 真实的公司做不到，模拟器可以：同一个模型去掉数据库再跑一遍，就是“没有改革”的对照。
# 一次模拟也可能碰巧，所以下面用 20 多个随机种子各跑两遍（有数据库、没有数据库），看增长的分布：

# %%
def spread_table(growth: dv.sim.CaseGrowth) -> pd.DataFrame:
    # 有改革、没有改革两种模拟，各种子增长的中位数和中间 80% 的范围
    rows = []
    for label, column in (("有改革", "growth"), ("没有改革", "growth_without")):
        values = growth.table[column]
        rows.append({"模拟": label, "种子个数": len(values), "增长（中位数）": f"{values.median():+.0%}",
                     "中间八成种子的增长": f"{values.quantile(0.1):+.0%} 至 {values.quantile(0.9):+.0%}",
                     "按平均客户数算的增长": f"{(growth.mean_growth if column == 'growth' else growth.mean_growth_without):+.0%}"})
    return pd.DataFrame(rows)


def spread_text(growth: dv.sim.CaseGrowth, how_chosen: str) -> str:
    # 日历和季节占了多少，展示的那个种子排在哪里
    shown = growth.shown
    n = len(growth.table)
    return (f"没有改革时，同样的日历平均也有 {growth.mean_growth_without:+.0%} 的增长；有改革时平均 "
            f"{growth.mean_growth:+.0%}。所以平均增长里约 {growth.calendar_share:.0%} 是日历、季节和市场带来的，"
            f"其余才算改革的。案例用的是第 {growth.shown_seed} 号种子（{how_chosen}）：它的增长是 "
            f"{shown['growth']:+.0%}，{n} 个种子里有 {growth.seeds_below_shown} 个比它低；同一家公司去掉改革再跑一遍，"
            f"增长是 {shown['growth_without']:+.0%}。")


fmcg_growth = dv.sim.case_growth("fmcg", before=("2024-01-01", "2024-12-31"),
                                 after=("2025-01-01", "2025-12-31"))
print(spread_text(fmcg_growth, "从 0 号往上找，第一个两年之比落在 1.50 ± 0.008 的种子"))
spread_table(fmcg_growth)

# %% [markdown]
# ## 2. 软件公司：几个月 +30%
#
# 这家公司有 2 个团队、14 名销售员，卖企业软件，单子大、周期长。2025 年 7 月 1 日起，
# 它同时做了两件事：优化销售流程（减少审批环节，缩短周期），并给全员做了培训。

# %%
quarterly = dv.development_volume(software.worklog, level="won", period="Q")
q2, q3 = (int(quarterly.loc[quarterly["period"] == p, "volume"].iloc[0])
          for p in (pd.Timestamp("2025-04-01"), pd.Timestamp("2025-07-01")))
print(f"第二季度（4–6 月）新成交客户：{q2}    第三季度（7–9 月）：{q3}    增长：{q3 / q2 - 1:+.0%}")
dv.viz.volume_trend(dv.development_volume(software.worklog, level="won", period=period),
                    period=period, mark="bar", title="软件公司：新成交客户（2025-07-01 起优化流程并培训）")

# %% [markdown]
# 上一行是两个季度的数字。**但这个增长是真的吗？**

# %%
software_volume = dv.compare_periods(software.worklog, before=("2025-04-01", "2025-06-30"),
                                        after=("2025-07-01", "2025-09-30"))
print(software_volume.message)

# %%
print(f"注意置信区间有多宽：一个季度只有 {q2}、{q3} 个新客户，倍数的 95% 置信区间从 "
      f"{software_volume.ci_low:.2f} 倍到 {software_volume.ci_high:.2f} 倍。检验的结论：这个变化"
      f"{not_chance(software_volume)}（{dv.p_text(software_volume.p_value)}）。")

# %% [markdown]
# 样本小的时候，检验常常给出“还不能确定”。怎么办？不是放弃，而是**多等一段时间、用更长的窗口**。
# 比较改革前后各半年：

# %%
software_half = dv.compare_periods(software.worklog, before=("2025-01-01", "2025-06-30"),
                                      after=("2025-07-01", "2025-12-31"))
print(software_half.message)

# %%
print(f"半年对半年：倍数的 95% 置信区间 {software_half.ci_low:.2f} 至 {software_half.ci_high:.2f} 倍，"
      f"这个变化{not_chance(software_half)}（{dv.p_text(software_half.p_value)}）。")

# %% [markdown]
# 再看转化率：案例说“转化率也显著提升”。
# 比较转化率时要注意，7–9 月才接触的客户“成交的时间”比 4–6 月的客户少，直接比会吃亏。
# 所以只数**接触后 90 天内**成交的客户（第三课讲过的队列转化率），两组才公平：

# %%
software_conversion = dv.compare_periods(
    software.worklog, before=("2025-04-01", "2025-06-30"), after=("2025-07-01", "2025-09-30"),
    metric="conversion", within_days=90)
print(software_conversion.message)
conversion = dv.conversion_rate(software.worklog, start="contacted", end="won", period="Q",
                                     within_days=90)
dv.teach.chinese(conversion[conversion["period"] < pd.Timestamp("2025-10-01")]).round(3)

# %%
rates = conversion.set_index("period")["conversion"]
q1_rate, q2_rate, q3_rate = (float(rates[pd.Timestamp(d)])
                             for d in ("2025-01-01", "2025-04-01", "2025-07-01"))


def compared(a: float, b: float) -> str:
    # 比较两个数，得出“高于”“低于”或“等于”
    return "高于" if a > b else "低于" if a < b else "等于"


print(f"90 天转化率：7–9 月接触的客户 {q3_rate:.1%}，{compared(q3_rate, q2_rate)} 4–6 月的 {q2_rate:.1%}，"
      f"{compared(q3_rate, q1_rate)}改革前更早的 1–3 月（{q1_rate:.1%}）。"
      f"季度对季度的检验：这个变化{not_chance(software_conversion)}"
      f"（{dv.p_text(software_conversion.p_value)}）。")

# %% [markdown]
# 优化流程本该让成交更快。看一看从首次接触到成交的天数（第三课的销售周期），按客户第一次被接触的季度分组，取中位数：

# %%
cycle = dv.sales_cycle(software.worklog, start="contacted", end="won")
medians = [float(cycle.loc[cycle["start_date"].dt.quarter == quarter, "days"].median())
           for quarter in (1, 2, 3)]  # 软件公司的日志只有 2025 年
trend = ("变短了" if medians[2] < min(medians[:2]) else "变长了" if medians[2] > max(medians[:2])
         else "没有看出变短")
print(f"中位周期：1–3 月接触的客户 {medians[0]:g} 天，4–6 月 {medians[1]:g} 天，7–9 月 {medians[2]:g} 天："
      f"改革后{trend}。")
print("这是模拟数据：模型里流程优化只把每一步的等待缩短 6%，一个多月的周期只短两三天，淹没在客户之间的差异里。")

# %%
verdicts = {True: "可以认为是真实变化", False: "还不能排除运气"}
print(f"季度对季度的新客户数：{verdicts[software_volume.significant]}")
print(f"半年对半年的新客户数：{verdicts[software_half.significant]}")
print(f"季度对季度的 90 天转化率：{verdicts[software_conversion.significant]}")

# %% [markdown]
# **和“什么都不做”比。** 软件公司的 7–9 月比 4–6 月工作日多，4–6 月还带着春节后线索少的影响，
# 所以即使什么都不改，三季度也可能比二季度多。同样用 20 多个种子，各跑有改革、没有改革两遍：

# %%
software_growth = dv.sim.case_growth("software", before=("2025-04-01", "2025-06-30"),
                                     after=("2025-07-01", "2025-09-30"))
print(spread_text(software_growth, "从 0 号往上找，第一个季度之比落在 1.30 ± 0.012、"
                                   "90 天转化率又至少高 1.5 个百分点的种子"))
spread_table(software_growth)

# %% [markdown]
# 20 多个种子只够看个大概：种子越多，“日历占多少”算得越准，所以这里的份额和数据卡
# （`datasets/software/README.md`，用更多种子算的）可能不完全一样。两者说的是同一件事：增长里有相当一块不是改革的。

# %% [markdown]
# 向上级汇报时，把“涨了多少”“有多大把握”和“有多少是改革的功劳”一起说。下面这段汇报是从上面的检验结果拼出来的：

# %%
print(f"“新客户数半年对半年是原来的 {software_half.effect:.2f} 倍（按每天算），检验显示这个变化"
      f"{not_chance(software_half)}。不过‘不是运气’不等于‘是改革带来的’：在模拟里，没有改革时 7–9 月"
      f"比 4–6 月平均也{'多' if software_growth.mean_growth_without >= 0 else '少'} "
      f"{abs(software_growth.mean_growth_without):.0%}，这一份是日历的，不是改革的。90 天转化率 7–9 月 {q3_rate:.1%}，"
      f"{compared(q3_rate, q2_rate)} 4–6 月的 {q2_rate:.1%}、{compared(q3_rate, q1_rate)} 1–3 月的 {q1_rate:.1%}，"
      f"检验{not_chance(software_conversion)}，还要再观察一个季度。”")

# %% [markdown]
# ## 3. 警惕随机波动：没有任何改革，也会有“+30% 的月份”
#
# `directsales` 这家公司整年**什么都没改**（数据集里没有任何干预），但逐月看，新成交客户数照样上蹿下跳。
# 数一数，有多少个月比上个月增长了 30% 以上（参数 `team` 可以换成某一个团队，团队越小，跳得越厉害）：

# %%
noise_log = data.worklog  # 全公司的日志；选了团队，就看记在这个团队名下的新客户
scope = data.scope
monthly = dv.teach.volume_view(noise_log, level="won", period="M", team=team)
if not data.is_case:  # 你的数据：没过完的头尾两个月不和整月比，只留完整的月份
    first_day, last_day = noise_log["date"].min(), noise_log["date"].max()
    first_month = dv.period_window(first_day, "M")
    if first_day > pd.Timestamp(first_month.first):  # 日志从月中开始：第一个月不完整
        first_month = dv.period_window(first_day, "M", back=-1)
    last_month = dv.last_complete(last_day, "M").current
    monthly = monthly[monthly["period"].between(pd.Timestamp(first_month.first),
                                                pd.Timestamp(last_month.first))]
growth = dv.growth(monthly, period="M")
jumps = growth[growth["growth"] >= 0.3]
print(f"{data.name} · {scope}：{len(monthly)} 个月里有 {len(jumps)} 个月环比增长 ≥ 30%。")
dv.teach.chinese(growth[["period", "volume", "previous", "growth"]].round({"growth": 2}))

# %%
noise_reached = dv.reached_levels(noise_log)
months = [dv.teach.month_over_month(noise_log, month=m, team=team, reached=noise_reached)
          for m in monthly["period"].iloc[1:]]
real = [f"{c.month.month} 月（{c.growth:+.0%}）" for c in months if c.comparison.significant]
print(f"逐月检验（每个月和上个月比）：{len(months)} 个月里，{len(real)} 个月被判为“很可能是真实变化”"
      + (f"：{'、'.join(real)}。" if real else "。"))
if data.is_case and real:
    print("可这家公司全年什么都没改。“真实”只是说这个变化不太可能是运气，不是说“是我们做了什么”："
          "模型里有季节起伏（年中最旺）、春节后的恢复和国庆长假，这些都会让某个月真的和上个月不一样。"
          "所以判断改革的功劳，要和去年同期或没有改革的团队比，而不是只和上个月比。")

# %%
from_zero = int(((growth["previous"] == 0) & (growth["volume"] > 0)).sum())  # 从 0 涨上来：算不出增长率
data.note("“整年什么都没改”说的是案例 directsales。你们这段时间改没改过什么，只有你们知道；上表数的是"
          f"{scope}每个完整月份的新成交客户（日志开头和结尾没过完的月份不算），这些涨跌里有多少只是随机波动，"
          "正是这一节要看的。"
          + (f"有 {from_zero} 个月是从上个月的 0 涨上来的，增长率算不出来（表里空着），没有算进上面“≥ 30%”的个数。"
             if from_zero else ""))

# %%
dv.viz.volume_trend(monthly, period="M", title=f"{scope}：每月新成交客户（没有任何改革）")

# %% [markdown]
# 选一个团队和月份，看看“比上个月涨了多少”以及检验的结论。试着找一个涨幅很大、却被判为“可能只是随机波动”的月份：

# %%
checker = dv.teach.ChangeChecker(noise_log, team=team)
checker

# %% [markdown]
# 规律是：**数量越小，波动越大**。一个每月成交十来个客户的小组，多三四个客户就是 +30%；
# 而这三四个客户的差别，完全可能来自某个大客户提前或推迟了几天签字。
# 所以评价一项改革，至少要做到三点：
#
# 1. 事先说好看哪个指标、比较哪两个时间段，不要事后挑最好看的月份；
# 2. 用足够长的窗口，或者足够多的团队；
# 3. 用 `dv.compare_periods` 这样的检验，把“涨了多少”和“有多大把握”一起汇报。

# %% [markdown]
# ## 4. 用你自己的数据
#
# 载入你团队的工作日志表（相对路径从启动 JupyterLab 的文件夹算起，左侧文件浏览器里右键文件 → “复制路径”最省事），
# 下面会出现和第 3 节一样的小工具：选团队、月份和阶段，看这个月比上个月变了多少，以及变化是否超出随机波动。
# 日志最后一个月如果还没过完，拿它和完整的月份比会吃亏，所以那个月只和上个月同样的前几天比，标题里会写明。

# %%
dv.teach.own_worklog("change")

# %% [markdown]
# ## 5. 总结与展望
#
# 回顾整门课，客户开发量的管理可以归结为一条链：
#
# | 环节 | 关键做法 | 对应课程 |
# |---|---|---|
# | 定义 | 只数第一次达到某个阶段的客户，不数行数、不数活跃客户 | 第一、二课 |
# | 评估 | 用队列转化率、保留率和流失率看开发的质量 | 第三课 |
# | 诊断 | 分清市场、能力、策略和客户关系各自的影响 | 第四课 |
# | 改进 | 精准定位、优化流程、培训、数字营销，算清投入和回报 | 第五课 |
# | 落地 | 工作日志、周会、目标和激励 | 第六课 |
# | 验证 | 复盘案例，区分真实变化和随机波动 | 第七课 |
#
# **往前看**，有三个趋势值得直销团队的管理者提前准备：
#
# - **记录会越来越自动**：通话、微信、拜访签到会直接进入系统，工作日志不再靠手填。
#   但“什么算一个新客户”的口径，仍然要由管理者来定——这门课教的正是这个。
# - **提醒会越来越及时**：停滞客户、可能完不成的月目标，系统会提前提示，周会可以从“查数字”变成“定行动”。
# - **决策会越来越依赖实验**：先在一两个团队试点，用足够长的时间和检验确认效果，再推广到全公司。
#
# 市场和客户一直在变，没有一套策略能一劳永逸。能持续拿到好结果的团队，靠的是同一套口径下的持续记录、
# 持续复盘和持续调整。
#
# ## 小结
#
# - 案例是模拟数据：改革的效果是模型里写好的，增量落在哪里、涨多少，都是设定被读了回来。
# - 检验回答的是“是不是运气”，不是“是不是我们的功劳”；功劳要和没有改革的同期（或没有改革的模拟）比，
#   日历和季节的那一份要先减掉。
# - 一次模拟、一个种子说明不了效果有多大，要看很多个种子的分布，并说清楚展示的那个是怎么挑的。
# - 没有任何改变的团队，也会有涨跌很大、甚至被检验判为“真实”的月份。汇报增长时，把“有多大把握”和“比的是什么”一起说出来。
