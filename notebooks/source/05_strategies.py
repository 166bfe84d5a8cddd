# %% [markdown] tags=["dv-run-first"]
# > **先运行，再阅读。** 打开时看到的表格和图，是用课程自带的案例数据、按默认参数事先算好的示例；
# > 小工具（下拉框、滑块、“加载”按钮）要运行以后才会出现。请先点菜单 **运行 → 运行全部单元格**
# > （Run → Run All Cells），再从上往下读。改了参数、载入了你自己的工作日志表，下面的数字才会跟着变。

# %% [markdown]
# # 第五课 提升客户开发量的四种策略：动手做一次“如果……会怎样”
#
# 前几课我们学会了怎么数新客户、怎么看转化、哪些因素在拉动或拖累开发量。这一课换一个角度：
# **如果现在要投入资源去提升开发量，钱和精力该放在哪里？**
#
# 课程大纲列出了四种常用的提升策略：
#
# | 策略 | 一句话说明 | 主要作用在哪一环 |
# |---|---|---|
# | 精准定位 | 先搞清楚“卖给谁”，把时间花在最可能成交的客户身上 | 线索略少，但意向率、成交率更高 |
# | 优化流程 | 去掉重复审批和无效环节，让销售员少做杂事 | 周期变短，每人每天能多做几次有效活动 |
# | 培训 | 定期提升沟通、需求挖掘和谈判能力 | 每一步的转化都更高 |
# | 数字营销 | 用线上工具主动触达潜在客户 | 线上渠道带来更多新线索 |
#
# 四种策略都要花钱、花时间。好的管理者不会只问“能多几个客户”，还会问“**多出来的客户值不值这笔投入**”。
#
# **学完这一课，你能够：**
#
# 1. 说出四种策略分别拉动漏斗的哪一段，以及为什么效果不能简单相加；
# 2. 用模拟器把策略的投入力度调上调下，看新成交客户、目标达成率、成本和新增客户价值怎么变化；
# 3. 用“净收益 = 新增客户价值 − 成本”给几种方案排序；
# 4. 把自己团队的工作日志表放进模拟器，得到一个有依据的起点。

# %% [markdown]
# > **这是模拟数据，也是假设。** 这一课的模拟器不是从哪家公司的经验里量出来的，而是课程的一个模型：
# >
# > - **每种策略的效果是设定的**：例如培训在模型里等于给每人加 48 个培训小时，精准定位让线索少 8%、
# >   但每一步更容易通过，数字营销让线上线索多 35%，优化流程让每一步的等待 × 0.7、每天能做的活动 × 1.15。
# > - **成本是设定的**：一次性投入和每人每月的费用都是参考值。
# > - **一个新客户值多少钱、多久见效**，也都是假设。
# >
# > 所以模拟器算出的“多几个客户、赚多少钱”，只是把这些假设乘了出来，不是证据。下面第 3 节把这几个假设做成了
# > 可以拖动的滑块：改一改，看结论会不会变——**结论随假设一起变的地方，就是你需要自己的数据去核实的地方。**

# %% tags=["parameters"]
dataset: str = "directsales"  # 案例数据集 directsales / fmcg / software，或你自己的工作日志表的路径（.xlsx / .csv / .parquet）
team: str = ""  # 团队名称，空字符串表示全公司
period: str = "M"  # 现状图表的统计周期：W 周 / M 月 / Q 季 / Y 年
customer_value: int = 10500  # 假设：一个新客户值多少钱（元）；默认只算首单的毛利（模型的平均首单 30,000 元 × 毛利 35%）
ramp_months: int = 3  # 假设：策略要几个月才完全见效（这段时间里效果逐月增加，成本从第一天就开始花）
effect_percent: int = 100  # 假设：模型设定的效果能实现百分之几（100 表示和模型设定一样，50 表示只有一半）

# %%
from IPython.display import display as show

import devvolume as dv

dv.viz.setup()
data = dv.teach.lesson_data(dataset, team)  # 案例数据集，或你自己的工作日志表（只用没有问题的行）
model = data.model  # 生成这个案例数据集的模拟模型；你自己的数据没有，模拟器就用课程自带的直销公司模型
scope = data.scope
data.banner()  # 用你自己的数据时：说明数据是谁的、跳过了哪些行

# %% [markdown]
# ## 1. 先看现状：这个团队每月开发多少新客户？
#
# 任何“如果……”都要从“现在是什么样”出发。我们用案例数据集的工作日志表，按第二课的口径数新客户：
# 每个客户只在**第一次**达到某个阶段的那个周期里算一次。选了团队时，用的是全公司结果里记在这个团队名下的新客户。

# %%
baseline = dv.teach.baseline_from_worklog(data.worklog, targets=data.targets, team=team,
                                          model=model)
print(f"范围：{scope}，销售员 {baseline.reps} 人")
print(f"平均每月新接触客户：{baseline.contacted_per_month:.1f}")
print(f"平均每月新成交客户：{baseline.won_per_month:.1f}")
print(f"平均每月目标（新成交客户）：{baseline.target_per_month:.1f}")
print(f"目标达成率：{baseline.won_per_month / baseline.target_per_month:.1%}")
data.note("现状（每月新接触、新成交客户，销售员人数）是用你们的日志算的。你们的日志没有目标表，所以“平均每月目标”"
          "就按现状的平均月成交数算，达成率从 100% 起步。下面模拟器里每种策略的效果和成本，用的是课程自带的一家"
          "直销公司的模型，不是从你们的数据估出来的：用它比较方案的高低，不要当成你们的预算。")

# %%
won = dv.teach.volume_view(data.worklog, level="won", period=period, team=team)
dv.viz.volume_trend(won, period=period, mark="bar", title=f"{scope}：新成交客户（现状）")

# %% [markdown]
# ## 2. 示例：每种策略单独做到 100%，结果怎样？
#
# 模拟器背后是一个直销团队模型：线索从各个渠道进来，客户一步步走过 首次接触 → 意向 → 签约 → 成交，
# 每一步的通过概率取决于销售员的技能、渠道的质量和市场行情。四种策略就是拨动这个模型里的不同旋钮。
#
# 下面把每种策略**单独**开到 100%，其他保持不动，比较每月能多出几个新成交客户、每月要花多少钱、
# 净收益是多少。成本里的一次性投入（例如系统建设、课程开发）按 12 个月摊销。
# 表里的数字用的是参数单元格里的三个假设（每个新客户的价值、几个月见效、效果实现几成），数字都是头一年的月平均：

# %%
import pandas as pd

assumptions = {"value_per_customer": customer_value, "ramp_months": ramp_months,
               "effect": effect_percent / 100}
print(f"假设：每个新客户 {customer_value:,.0f} 元，{ramp_months:.0f} 个月完全见效，效果按模型设定的 {effect_percent}%。"
      f"（模型自己按合作期的全部毛利估的是每个新客户 "
      f"{dv.teach.project_strategies(baseline).value_per_customer:,.0f} 元。）")
rows = []
for code, label in dv.teach.STRATEGIES.items():
    result = dv.teach.project_strategies(baseline, **{code: 1.0}, **assumptions)
    rows.append({
        "策略": label,
        "每月新接触客户": round(result.contacted, 1),
        "每月新成交客户": round(result.won, 1),
        "比现状多": round(result.won - baseline.won_per_month, 1),
        "目标达成率": f"{result.attainment:.0%}",
        "每月成本（元）": round(result.monthly_cost + result.setup_cost / dv.teach.SETUP_PAYBACK_MONTHS),
        "净收益（元/月）": round(result.net_value_per_month),
    })
one_at_a_time = pd.DataFrame(rows).sort_values("净收益（元/月）", ascending=False, ignore_index=True)
one_at_a_time

# %%
by_customers = one_at_a_time.sort_values("比现状多", ascending=False)["策略"].tolist()
by_value = one_at_a_time["策略"].tolist()  # 表已按净收益排好
if by_customers == by_value:
    print(f"在这组假设下，按多出来的客户数排和按净收益排，顺序一样：{' > '.join(by_value)}。"
          "把“每个新客户值多少钱”调低，或者把见效时间拉长，再看顺序会不会变。")
else:
    cost = one_at_a_time.set_index("策略")["每月成本（元）"]
    print(f"按多出来的客户数排：{' > '.join(by_customers)}；按净收益排：{' > '.join(by_value)}。"
          f"带来客户最多的“{by_customers[0]}”每月成本 {cost[by_customers[0]]:,} 元，净收益最高的"
          f"“{by_value[0]}”每月成本 {cost[by_value[0]]:,} 元。值不值，取决于上面的假设。")

# %% [markdown]
# 读这张表时还要注意两点：
#
# - 精准定位会让新接触的客户**变少**（因为主动放弃了不合适的客户），但成交的反而更多。只盯着“接触了多少人”
#   的管理者会误以为它失败了。
# - 优化流程的好处一部分体现在“更快”：周期缩短后，同样的时间里能走完更多单子。

# %% [markdown]
# ## 3. 组合起来：四个滑块的模拟器
#
# 现实中的方案往往是组合拳。拖动下面四个滑块（0% 表示不做，100% 表示全力投入），
# 滑块下方的大字会显示**预计每月新成交客户**，表格和图表对比现状与方案。
# 再下面三个滑块是**假设**：效果能实现几成、一个新客户值多少钱、几个月见效。起点是参数单元格里的值。
#
# 试着回答：
#
# - 四种策略都开到 50%，和只把最划算的一种开到 100%，哪个净收益更高？
# - 把“每个新客户值”拖高或拖低，最划算的策略会不会换人？“几个月见效”拉长呢？
# - 为什么四种策略同时开到 100% 的效果，不等于每种单独效果的简单相加？

# %%
simulator = dv.teach.StrategySimulator(baseline, title=f"{scope}：每月新成交客户，方案与现状对比",
                                       **assumptions)
simulator

# %% [markdown]
# 滑块背后是 `dv.teach.project_strategies` 这个计算，也可以直接调用它，结果完全相同。
# 例如“四种策略各做一半”（假设和上面一样）：

# %%
half = dv.teach.project_strategies(baseline, targeting=0.5, process=0.5, training=0.5,
                                  digital=0.5, **assumptions)
print(half.headline)
half.table.round(2)

# %%
dv.teach.strategy_chart(half, title="四种策略各投入 50%：每月新成交客户")

# %%
dv.teach.money_chart(half, title="四种策略各投入 50%：每月成本与新增客户价值（元）")

# %% [markdown]
# ## 4. 读模拟结果时要留心的地方
#
# - **这是期望值，不是承诺。** 模拟器给出的是“平均来说”会怎样。真实的某个月会上下波动，
#   第七课会教你判断一次增长到底是真的还是运气。
# - **效果会互相影响，不能简单相加。** 线索多了，更高的转化率就作用在更多的线索上，两者会互相放大；
#   反过来，精准定位主动减少了线索，又会让“多拉线索”的策略打些折扣。下一个单元格把两种算法放在一起比较。
# - **效果和成本都是假设。** 模型里每种策略的效果和成本是设定的参考值，你公司的培训费、系统费可能完全不同。
#   用它来比较方案的相对高低，而不是当成预算；先看结论会不会随假设变。
# - **新增客户价值**也是假设：模型自己按一个新客户在合作期内带来的毛利估算（首单加上后续复购），
#   本课默认更保守，只算首单的毛利。你知道自己客户的复购情况，就把这个数改成你的。

# %%
singles = sum(dv.teach.project_strategies(baseline, **{code: 1.0}, **assumptions).won
              - baseline.won_per_month for code in dv.teach.STRATEGIES)
together = dv.teach.project_strategies(baseline, **dict.fromkeys(dv.teach.STRATEGIES, 1.0),
                                       **assumptions)
print(f"四种策略各自单独做到 100%，多出的新成交客户加起来：每月 {singles:.1f} 个")
print(f"四种策略同时做到 100%，一起算：每月多 {together.won - baseline.won_per_month:.1f} 个")

# %% [markdown]
# ## 5. 用你自己的数据
#
# 把你团队的工作日志表（Excel 或 CSV，表头用 日期、销售员、团队、客户、阶段 等）放进来：
# 填写文件路径（相对路径从启动 JupyterLab 的文件夹算起，左侧文件浏览器里右键文件 → “复制路径”最省事），
# 或者点击“上传文件”，再点“加载”。文件有问题时，会列出出错的行号和修改方法；只有几行有问题时，可以先用没有问题的行继续。
# 载入后，模拟器就会从**你的团队现状**出发；文件里有几个团队时，用“团队”下拉框选一个，
# 现状是整个文件先数好、再记在这个团队名下的新客户。
#
# 你的数据里通常没有目标表，这时目标按现状的平均月成交数计算（达成率从 100% 起步）。

# %%
dv.teach.own_worklog("strategy", model=model)

# %% [markdown]
# ## 小结
#
# - 四种策略作用在漏斗的不同位置：精准定位提高质量、优化流程提高速度和产能、培训提高每一步的转化、
#   数字营销增加线索数量。
# - 评价一个方案要同时看三个数：多了几个新成交客户、目标达成率、以及净收益（新增客户价值减去成本）。
# - 组合方案的效果不等于单项效果之和，要放在一起算；模拟结果是期望值，真实结果会有波动。
# - 下一课把这些数字落到团队的日常管理里：工作日志、周会和激励方案。
#
# **动手练习**：打开 `exercises/05_strategies.ipynb`，做完四道题。答错时，检查器会告诉你错在哪一步。
